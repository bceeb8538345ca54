package dev.skci.run;

import dev.skci.SkciException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The undo stack of a run: what each step created, torn down in the reverse order of creation, each
 * entry on its own (one failing never skips the others). It runs on every path: success, failure and
 * interrupt. Teardowns must be bounded themselves (every wait in skci is); an interrupt that ended the
 * run does not cut them short, and a second signal while they run is ignored (see {@link Signals}).
 */
public final class Teardowns {
    private static final Logger LOG = LoggerFactory.getLogger(Teardowns.class);

    /** How to undo one thing. */
    @FunctionalInterface
    public interface Teardown {
        void run() throws Exception;
    }

    /** How one teardown went; {@code error} is null when it succeeded. */
    public record Done(String name, String error) {}

    private record Entry(String name, Teardown teardown) {}

    private final Deque<Entry> stack = new ArrayDeque<>();
    private boolean unwound;

    /** Registers how to undo something that was just created. */
    public synchronized void push(String name, Teardown teardown) {
        if (unwound) {
            throw new IllegalStateException("teardown '" + name + "' registered after the run was torn down");
        }
        stack.push(new Entry(name, teardown));
    }

    /** Names on the stack, next to run first. */
    public synchronized List<String> pending() {
        return stack.stream().map(Entry::name).toList();
    }

    /** Runs every teardown, last pushed first, and returns how each went. Runs only once. */
    public List<Done> unwind() {
        // The interrupt that ended the run (a signal, the deadline) must not also abort its cleanup.
        boolean interrupted = Thread.interrupted();
        List<Done> done = new ArrayList<>();
        try {
            while (true) {
                Entry e;
                synchronized (this) {
                    unwound = true;
                    e = stack.poll();
                }
                if (e == null) {
                    return done;
                }
                try {
                    e.teardown().run();
                    done.add(new Done(e.name(), null));
                } catch (Exception | AssertionError x) {
                    if (SkciException.isInterrupt(x)) {
                        Thread.interrupted(); // a second signal: keep tearing down, the waits are bounded
                    }
                    LOG.warn("teardown '{}' failed: {}", e.name(), x.toString());
                    done.add(new Done(e.name(), String.valueOf(x.getMessage())));
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
