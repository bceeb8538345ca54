package dev.skci.wait;

import java.time.Duration;

/** A point on the monotonic clock by which something must be done. Every wait in skci is bounded by one ({@link Wait}). */
public final class Deadline {
    private final long at;

    private Deadline(long at) {
        this.at = at;
    }

    public static Deadline after(Duration d) {
        long now = System.nanoTime();
        long nanos = d.toNanos();
        return new Deadline(nanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos);
    }

    public boolean passed() {
        return System.nanoTime() - at >= 0;
    }

    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, at - System.nanoTime()));
    }

    /** The earlier of this deadline and {@code d} from now. */
    public Deadline within(Duration d) {
        Deadline other = after(d);
        return other.at - at < 0 ? other : this;
    }
}
