package dev.skci.trace;

import java.util.List;

/**
 * A whole trace held in memory, in the version-2 model. Fine for small traces (import, export, tests);
 * replay and validation stream events from a {@link dev.skci.trace.codec.TraceFile} instead.
 */
public record Trace(TracerConfig config, List<TraceEvent> events, TraceIndex index, PodLifecycles lifecycles) {
    public static final int VERSION = 2;

    public Trace {
        events = List.copyOf(events);
    }
}
