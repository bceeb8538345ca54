package dev.skci.wait;

import dev.skci.SkciException;
import io.fabric8.kubernetes.client.dsl.Informable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one way skci waits: for a named condition, bounded by a timeout, with progress lines while it
 * waits. Two flavours, like KWOK's and fabric8's helpers:
 *
 * <ul>
 *   <li>{@link #poll}: calls a {@link Condition} until it holds. For what no API can watch (processes,
 *       files, sockets) and for composite checks across several objects (the readiness gates).
 *   <li>{@link #watch}: an informer on one Kubernetes resource, completed by the API server's events
 *       instead of polling (fabric8's {@code informOnCondition}).
 * </ul>
 *
 * <p>A condition that throws is retried ("checking failed: ..."), because a brief API stall must not end
 * a wait; a condition that throws {@link SkciException} ends it at once (waiting cannot help). An
 * interrupt (SIGINT, SIGTERM, the run's deadline) ends every wait the same way:
 * {@link SkciException#interrupted}.
 */
public final class Wait {
    /** Null when the condition holds; otherwise what is still missing, in one line. */
    @FunctionalInterface
    public interface Condition {
        String missing() throws Exception;
    }

    /** Called with how long the wait has run and what is missing, every {@code progressEvery}. */
    @FunctionalInterface
    public interface Progress {
        void waiting(Duration waited, Duration timeout, String missing);
    }

    /** How a wait ended in time: how long it took. */
    public record Passed(Duration waited) {}

    /** How a wait ran out: what it waited for, what was still missing, after how long. */
    public record TimedOut(String what, String missing, Duration waited) {
        /** The default failure: an environment error (exit 3) naming the condition. */
        public SkciException environmentError() {
            return SkciException.environment("timed out after " + waited.toSeconds() + " s waiting for " + what
                    + (missing == null ? "" : ": " + missing));
        }
    }

    private static final Duration DEFAULT_POLL = Duration.ofMillis(100);
    private static final Duration DEFAULT_PROGRESS = Duration.ofSeconds(5);

    private final String what;
    private final Duration timeout;
    private Duration poll = DEFAULT_POLL;
    private Duration progressEvery = DEFAULT_PROGRESS;
    private Progress progress;
    private Function<TimedOut, RuntimeException> onTimeout = TimedOut::environmentError;

    private Wait(String what, Duration timeout) {
        this.what = Objects.requireNonNull(what);
        this.timeout = Objects.requireNonNull(timeout);
    }

    /** A wait for {@code what} (e.g. "nodes to be Ready") of at most {@code timeout}. */
    public static Wait poll(String what, Duration timeout) {
        return new Wait(what, timeout);
    }

    /** A wait for {@code what}, bounded by whatever is left of {@code deadline}. */
    public static Wait poll(String what, Deadline deadline) {
        return new Wait(what, deadline.remaining());
    }

    /** Like {@link #poll}, but {@link #until(Informable, Predicate)} completes from watch events. */
    public static Wait watch(String what, Duration timeout) {
        return new Wait(what, timeout);
    }

    public Wait every(Duration interval) {
        this.poll = interval;
        return this;
    }

    public Wait progress(Progress p) {
        this.progress = p;
        return this;
    }

    public Wait progressEvery(Duration every) {
        this.progressEvery = every;
        return this;
    }

    /** What to throw when time runs out; the default is {@link TimedOut#environmentError()}. */
    public Wait onTimeout(Function<TimedOut, RuntimeException> f) {
        this.onTimeout = f;
        return this;
    }

    /** Waits until {@code condition} holds; throws the timeout failure otherwise. */
    public Passed until(Condition condition) {
        Outcome o = run(condition);
        if (o.missing != null) {
            throw onTimeout.apply(new TimedOut(what, o.missing, o.waited));
        }
        return new Passed(o.waited);
    }

    /** Waits until {@code condition} holds; false (instead of a failure) when time runs out. */
    public boolean tryUntil(Condition condition) {
        return run(condition).missing == null;
    }

    /**
     * Waits until {@code predicate} holds for the resource's current list (one object for
     * {@code withName}, empty when it does not exist), driven by an informer rather than polling.
     */
    public <T> Passed until(Informable<T> resource, Predicate<List<T>> predicate) {
        Outcome o = watch(resource, predicate);
        if (o.missing != null) {
            throw onTimeout.apply(new TimedOut(what, o.missing, o.waited));
        }
        return new Passed(o.waited);
    }

    /** Like {@link #until(Informable, Predicate)}; false (instead of a failure) when time runs out. */
    public <T> boolean tryUntil(Informable<T> resource, Predicate<List<T>> predicate) {
        return watch(resource, predicate).missing == null;
    }

    private <T> Outcome watch(Informable<T> resource, Predicate<List<T>> predicate) {
        long start = System.nanoTime();
        CompletableFuture<List<T>> done = resource.informOnCondition(predicate);
        long next = start + progressEvery.toNanos();
        try {
            while (true) {
                long now = System.nanoTime();
                Duration waited = Duration.ofNanos(now - start);
                Duration left = timeout.minus(waited);
                if (left.isNegative() || left.isZero()) {
                    return new Outcome("not yet", waited);
                }
                long slice = Math.min(left.toNanos(), Math.max(1, next - now));
                try {
                    done.get(slice, TimeUnit.NANOSECONDS);
                    return new Outcome(null, Duration.ofNanos(System.nanoTime() - start));
                } catch (TimeoutException e) {
                    if (progress != null && System.nanoTime() >= next) {
                        progress.waiting(Duration.ofNanos(System.nanoTime() - start), timeout, "not yet");
                        next = System.nanoTime() + progressEvery.toNanos();
                    }
                } catch (ExecutionException e) {
                    throw SkciException.environment("watching for " + what + " failed: " + rootMessage(e.getCause()), e.getCause());
                }
            }
        } catch (InterruptedException e) {
            throw SkciException.interrupted("waiting for " + what, e);
        } finally {
            done.cancel(true); // stops the informer
        }
    }

    private record Outcome(String missing, Duration waited) {}

    private Outcome run(Condition condition) {
        long start = System.nanoTime();
        long next = start + progressEvery.toNanos();
        while (true) {
            String missing;
            try {
                missing = condition.missing();
            } catch (SkciException e) {
                throw e;
            } catch (InterruptedException e) {
                throw SkciException.interrupted("waiting for " + what, e);
            } catch (Exception e) {
                missing = "checking failed: " + e.getMessage();
            }
            long now = System.nanoTime();
            Duration waited = Duration.ofNanos(now - start);
            if (missing == null) {
                return new Outcome(null, waited);
            }
            if (waited.compareTo(timeout) >= 0) {
                return new Outcome(missing, waited);
            }
            if (progress != null && now >= next) {
                progress.waiting(waited, timeout, missing);
                next = now + progressEvery.toNanos();
            }
            sleep(Math.min(poll.toNanos(), timeout.minus(waited).toNanos()));
        }
    }

    /** Sleeps, turning an interrupt into skci's one interrupt failure. */
    public static void sleep(Duration d) {
        sleep(d.toNanos());
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(Math.max(0, nanos));
        } catch (InterruptedException e) {
            throw SkciException.interrupted("sleeping", e);
        }
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return String.valueOf(c.getMessage() != null ? c.getMessage() : c);
    }
}
