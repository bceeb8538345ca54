package dev.skci.replay;

import dev.skci.SkciException;
import dev.skci.trace.Gvk;
import dev.skci.trace.KubeObject;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.codec.TraceFile;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a replay will touch, found by one streaming pass before any cluster work: the trace window,
 * the original namespaces (each becomes a virtual namespace) and the kinds (each must be served).
 */
public record ReplayPlan(long startTs, long endTs, boolean durationGiven, Set<String> namespaces, Set<Gvk> kinds,
        int events) {

    public static ReplayPlan scan(TraceFile trace, Optional<Duration> duration) {
        if (trace.eventCount() == 0) {
            throw SkciException.invalidInput(trace.name() + ": the trace has no events; there is nothing to replay");
        }
        long start = trace.firstTs();
        long end = duration.map(d -> start + Math.max(0, d.toSeconds())).orElse(trace.lastTs());
        Set<String> namespaces = new LinkedHashSet<>();
        Set<Gvk> kinds = new LinkedHashSet<>();
        int events = 0;
        try (TraceFile.EventCursor c = trace.events()) {
            while (c.hasNext()) {
                TraceEvent e = c.next();
                if (duration.isPresent() && e.ts() >= end) {
                    break;
                }
                events++;
                for (KubeObject o : e.applied()) {
                    add(o, namespaces, kinds);
                }
                for (KubeObject o : e.deleted()) {
                    add(o, namespaces, kinds);
                }
            }
        }
        return new ReplayPlan(start, end, duration.isPresent(), namespaces, kinds, events);
    }

    private static void add(KubeObject o, Set<String> namespaces, Set<Gvk> kinds) {
        if (o.namespace() != null && !o.namespace().isEmpty()) {
            namespaces.add(o.namespace());
        }
        if (o.gvk() != null) {
            kinds.add(o.gvk());
        }
    }

    /** Trace seconds from the first event to the end of the run. */
    public long spanSeconds() {
        return endTs - startTs;
    }
}
