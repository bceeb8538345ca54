package dev.skci.trace;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trace's {@code pod_lifecycles}: owner, then stable pod-spec hash (unsigned 64-bit in a
 * {@code long}), then the lifecycles of that owner's pods in the order the tracer first saw them.
 * Order is kept as read so the map re-encodes byte-identically.
 */
public final class PodLifecycles {
    private final Map<LifecycleOwner, Map<Long, List<PodLifecycle>>> byOwner;
    private final Map<ParsedOwner, Map<Long, List<PodLifecycle>>> parsed = new LinkedHashMap<>();

    private record ParsedOwner(Gvk gvk, String nsName) {}

    public PodLifecycles(Map<LifecycleOwner, Map<Long, List<PodLifecycle>>> byOwner) {
        this.byOwner = byOwner;
        Map<String, Gvk> gvks = new HashMap<>(); // bare-pod traces have one owner per pod, all "v1.Pod"
        byOwner.forEach((owner, buckets) -> {
            try {
                Gvk gvk = gvks.computeIfAbsent(owner.gvk(), Gvk::parse);
                parsed.put(new ParsedOwner(gvk, owner.nsName()), buckets);
            } catch (IllegalArgumentException e) {
                // Reported by the validator; such an owner can never match.
            }
        });
    }

    public static PodLifecycles empty() {
        return new PodLifecycles(new LinkedHashMap<>());
    }

    /** The raw map, in file order. */
    public Map<LifecycleOwner, Map<Long, List<PodLifecycle>>> entries() {
        return Collections.unmodifiableMap(byOwner);
    }

    /** The hash buckets recorded for an owner, in file order; empty when there are none. */
    public Map<Long, List<PodLifecycle>> buckets(Gvk ownerGvk, String ownerNsName) {
        Map<Long, List<PodLifecycle>> b = parsed.get(new ParsedOwner(ownerGvk, ownerNsName));
        return b == null ? Map.of() : Collections.unmodifiableMap(b);
    }

    public int ownerCount() {
        return byOwner.size();
    }

    public int entryCount() {
        return byOwner.values().stream()
                .flatMap(m -> m.values().stream())
                .mapToInt(List::size)
                .sum();
    }
}
