package dev.skci.trace;

import java.util.List;

/** Everything the tracer observed within one second: objects applied, then objects deleted. */
public record TraceEvent(long ts, List<KubeObject> applied, List<KubeObject> deleted) {
    public TraceEvent {
        applied = List.copyOf(applied);
        deleted = List.copyOf(deleted);
    }

    public boolean isEmpty() {
        return applied.isEmpty() && deleted.isEmpty();
    }
}
