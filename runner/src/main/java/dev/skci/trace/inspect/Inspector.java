package dev.skci.trace.inspect;

import dev.skci.trace.Gvk;
import dev.skci.trace.KubeObject;
import dev.skci.trace.LifecycleOwner;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.Trace;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.TraceTime;
import dev.skci.trace.codec.TraceFile;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds a {@link TraceSummary} in one streaming pass over the events. */
public final class Inspector {
    private Inspector() {}

    public static final int DEFAULT_BUCKETS = 48;

    public static TraceSummary inspect(TraceFile trace, int maxBuckets) {
        boolean any = trace.eventCount() > 0;
        long first = trace.firstTs();
        long last = trace.lastTs();
        long span = any ? Math.max(0, TraceTime.span(first, last)) : 0;
        Buckets buckets = new Buckets(first, span, Math.max(1, maxBuckets));

        Map<String, Long> appliedByKind = new TreeMap<>();
        Map<String, Long> deletedByKind = new TreeMap<>();
        Map<String, Long> namespaces = new TreeMap<>();
        long applied = 0;
        long deleted = 0;
        int empty = 0;
        try (TraceFile.EventCursor events = trace.events()) {
            while (events.hasNext()) {
                TraceEvent e = events.next();
                if (e.isEmpty()) {
                    empty++;
                }
                for (KubeObject o : e.applied()) {
                    count(o, appliedByKind, namespaces);
                }
                for (KubeObject o : e.deleted()) {
                    count(o, deletedByKind, namespaces);
                }
                applied += e.applied().size();
                deleted += e.deleted().size();
                buckets.add(e.ts(), e.applied().size() + e.deleted().size());
            }
        }
        Map<String, Integer> indexByKind = new TreeMap<>(trace.index().countsByGvk());
        return new TraceSummary(
                trace.name(), trace.sizeBytes(), Trace.VERSION, trace.format().description(), trace.format().isLegacy(),
                any ? first : null, any ? last : null,
                any ? TraceTime.rfc3339(first) : null, any ? TraceTime.rfc3339(last) : null, span,
                trace.eventCount(), empty, applied, deleted, appliedByKind, deletedByKind, namespaces,
                trace.index().size(), indexByKind,
                trace.lifecycles().ownerCount(), trace.lifecycles().entryCount(), owners(trace),
                buckets.toActivity());
    }

    private static void count(KubeObject o, Map<String, Long> byKind, Map<String, Long> namespaces) {
        Gvk gvk = o.gvk();
        byKind.merge(gvk == null ? "<no apiVersion/kind>" : gvk.toString(), 1L, Long::sum);
        String ns = o.namespace();
        namespaces.merge(ns == null || ns.isEmpty() ? "<none>" : ns, 1L, Long::sum);
    }

    private static List<TraceSummary.Owner> owners(TraceFile trace) {
        List<TraceSummary.Owner> out = new ArrayList<>();
        for (Map.Entry<LifecycleOwner, Map<Long, List<PodLifecycle>>> e : trace.lifecycles().entries().entrySet()) {
            LifecycleOwner owner = e.getKey();
            boolean indexed;
            try {
                indexed = trace.index().contains(owner.parsedGvk(), owner.nsName());
            } catch (IllegalArgumentException ex) {
                indexed = false;
            }
            List<TraceSummary.Bucket> hashes = new ArrayList<>();
            e.getValue().forEach((hash, list) -> hashes.add(new TraceSummary.Bucket(
                    new BigInteger(Long.toUnsignedString(hash)), list.stream().map(Inspector::entry).toList())));
            out.add(new TraceSummary.Owner(owner.gvk(), owner.nsName(), indexed, hashes));
        }
        return out;
    }

    static TraceSummary.Entry entry(PodLifecycle l) {
        return switch (l) {
            case PodLifecycle.Empty x -> new TraceSummary.Entry("Empty", null, null, null);
            case PodLifecycle.Running r -> new TraceSummary.Entry("Running", r.start(), null, null);
            case PodLifecycle.Finished f -> new TraceSummary.Entry("Finished", f.start(), f.end(), TraceTime.span(f.start(), f.end()));
        };
    }

    /** Fixed-width time buckets over [first, first + span]; out-of-order timestamps are clamped to the ends. */
    private static final class Buckets {
        final long first;
        final long width;
        final long[] objects;
        final int[] events;

        Buckets(long first, long span, int max) {
            this.first = first;
            // ceil((span + 1) / max), written so that it cannot overflow: corrupt traces can span any range.
            this.width = span / max + 1;
            int n = (int) Math.min(max, span / width + 1);
            this.objects = new long[n];
            this.events = new int[n];
        }

        void add(long ts, int objectCount) {
            long offset = TraceTime.span(first, ts);
            int i = offset <= 0 ? 0 : (int) Math.min(objects.length - 1, offset / width);
            objects[i] += objectCount;
            events[i]++;
        }

        TraceSummary.Activity toActivity() {
            return new TraceSummary.Activity(first, width, Arrays.stream(objects).boxed().toList(),
                    Arrays.stream(events).boxed().toList());
        }
    }
}
