package dev.skci.replay;

import java.util.Arrays;

/** How late each event was applied, in microseconds; compact enough for millions of events. */
public final class LatenessRecorder {
    private int[] micros = new int[1024];
    private int count;
    private int[] sorted; // cached for the quantiles asked after the replay; dropped on the next sample

    public synchronized void record(long lateNanos) {
        if (count == micros.length) {
            micros = Arrays.copyOf(micros, micros.length * 2);
        }
        micros[count++] = (int) Math.min(Integer.MAX_VALUE, lateNanos / 1000);
        sorted = null;
    }

    public synchronized int count() {
        return count;
    }

    /** The q-quantile (0..1) in milliseconds, or 0 with no samples. */
    public synchronized double quantileMillis(double q) {
        if (count == 0) {
            return 0;
        }
        if (sorted == null) {
            sorted = Arrays.copyOf(micros, count);
            Arrays.sort(sorted);
        }
        int idx = (int) Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1));
        return sorted[idx] / 1000.0;
    }

    public synchronized double maxMillis() {
        return quantileMillis(1.0);
    }
}
