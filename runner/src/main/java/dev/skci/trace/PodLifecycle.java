package dev.skci.trace;

/**
 * What the tracer recorded about one pod's run, in Unix seconds. On the wire this is an externally
 * tagged enum: {@code "Empty"}, {@code {"Running": start}} or {@code {"Finished": [start, end]}}.
 */
public sealed interface PodLifecycle {

    /** Never written by the tracer, but valid in the format. */
    record Empty() implements PodLifecycle {}

    /** The pod was still running when last observed. */
    record Running(long start) implements PodLifecycle {}

    /** The pod's containers ran from {@code start} to {@code end}. */
    record Finished(long start, long end) implements PodLifecycle {
        public long durationSeconds() {
            return Math.max(0, end - start);
        }
    }

    PodLifecycle EMPTY = new Empty();
}
