package dev.skci.replay;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The replay's absolute schedule: event k is due at {@code t0 + (ts_k - ts_0) / speed} on a monotonic
 * clock. Because every due time is computed from t0 (never from the previous event), API latency does
 * not accumulate, and there is no whole-second truncation.
 */
public final class ReplayClock {
    /** Sleeping is coarse; the last stretch is spun in short parks for millisecond accuracy. */
    private static final long FINE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final long traceStart;
    private final double speed;
    private final LongSupplier nanoTime;
    private long t0;
    private volatile java.time.Instant startedAt;

    /** {@code speed} may be {@link Double#POSITIVE_INFINITY}: every event is due at once. */
    public ReplayClock(long traceStart, double speed, LongSupplier nanoTime) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be positive");
        }
        this.traceStart = traceStart;
        this.speed = speed;
        this.nanoTime = nanoTime;
    }

    public ReplayClock(long traceStart, double speed) {
        this(traceStart, speed, System::nanoTime);
    }

    public void start() {
        t0 = nanoTime.getAsLong();
        startedAt = java.time.Instant.now();
    }

    /** The wall-clock moment trace time started (null before {@link #start}): maps observed times to trace time. */
    public java.time.Instant startedAt() {
        return startedAt;
    }

    /** Monotonic nanos at which an event with trace time {@code ts} (seconds) is due. */
    public long dueNanos(long ts) {
        if (Double.isInfinite(speed)) {
            return t0;
        }
        double offset = (ts - traceStart) * 1e9 / speed;
        return t0 + (long) Math.max(0, offset);
    }

    /**
     * Waits until {@code ts} is due and returns how late we are (nanos, >= 0). Interruptible: an
     * interrupt (SIGINT/SIGTERM) ends the wait with {@link InterruptedException}.
     */
    public long awaitDue(long ts) throws InterruptedException {
        long due = dueNanos(ts);
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long left = due - nanoTime.getAsLong();
            if (left <= 0) {
                return -left;
            }
            LockSupport.parkNanos(left > FINE_WAIT_NANOS ? left - FINE_WAIT_NANOS / 2 : Math.min(left, 200_000));
        }
    }

    public long elapsedNanos() {
        return nanoTime.getAsLong() - t0;
    }

    public double speed() {
        return speed;
    }
}
