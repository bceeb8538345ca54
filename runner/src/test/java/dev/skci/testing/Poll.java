package dev.skci.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/** Bounded waiting for cluster tests: every wait names what it waits for and fails with that name. */
public final class Poll {
    private static final long INTERVAL_MILLIS = 100;

    private Poll() {}

    /** Waits until {@code check} returns a non-null value and returns it. */
    public static <T> T until(Duration timeout, String what, Supplier<T> check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                T value = check.get();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (RuntimeException e) {
                last = e; // e.g. a NullPointerException on a status not yet written
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionFailedError("timed out after " + timeout.toSeconds() + "s waiting for " + what
                        + (last == null ? "" : " (last error: " + last + ")"), last);
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionFailedError("interrupted while waiting for " + what);
            }
        }
    }

    public static void until(Duration timeout, String what, BooleanSupplier check) {
        until(timeout, what, () -> check.getAsBoolean() ? Boolean.TRUE : null);
    }
}
