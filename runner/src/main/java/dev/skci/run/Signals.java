package dev.skci.run;

import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * Turns SIGINT and SIGTERM into an interrupt of the running simulation, so that it stops replaying,
 * cleans up, and exits 130 or 143 (docs/design.md, "Exit codes"). Without this, the JVM would run shutdown hooks with no
 * guarantee that cleanup finishes. A second signal while cleaning up is ignored: cleanup is bounded.
 */
public final class Signals {
    private static final AtomicReference<String> received = new AtomicReference<>();

    private Signals() {}

    /** Routes SIGINT/SIGTERM to interrupting {@code worker}. */
    public static void interruptOnSignal(Thread worker) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> {
                    if (received.compareAndSet(null, s.getName())) {
                        System.err.println("skci: SIG" + s.getName() + " received; stopping the replay and cleaning up");
                        worker.interrupt();
                    }
                });
            } catch (IllegalArgumentException e) {
                // The signal is not available on this platform; the default handling stays.
            }
        }
    }

    /** {@code INT} or {@code TERM} once a signal arrived, else null. */
    public static String received() {
        return received.get();
    }
}
