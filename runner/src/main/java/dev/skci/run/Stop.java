package dev.skci.run;

import dev.skci.ExitCode;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Why a run stops before it ends by itself, when something outside its thread decides so: the deadline
 * ({@code --timeout}), or the cluster ({@link dev.skci.cluster.ClusterWatch}: a component exited, the
 * API server stopped answering). The first reason wins and interrupts the run's thread, once, so the run
 * unwinds the one way every interrupt does: it stops replaying, cleans up and reports. (SIGINT and
 * SIGTERM go through {@link Signals}, and win over any reason.)
 */
final class Stop {
    /** The exit code the reason means, and one line for the user. */
    record Reason(ExitCode code, String message) {}

    private final AtomicReference<Reason> first = new AtomicReference<>();
    private final Thread worker;

    Stop(Thread worker) {
        this.worker = worker;
    }

    void stop(ExitCode code, String message) {
        if (first.compareAndSet(null, new Reason(code, message))) {
            worker.interrupt();
        }
    }

    Optional<Reason> reason() {
        return Optional.ofNullable(first.get());
    }
}
