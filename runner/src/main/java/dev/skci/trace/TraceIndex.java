package dev.skci.trace;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trace's {@code index}: GVK string, then {@code namespace/name}, then the hash of the object's spec
 * (an unsigned 64-bit value held in a {@code long}). Keys keep the file's spelling and order so the
 * index re-encodes byte-identically; lookups go through parsed GVKs, so {@code /v1.Pod} finds {@code v1.Pod}.
 */
public final class TraceIndex {
    private final Map<String, Map<String, Long>> byGvk;
    private final Map<Gvk, Map<String, Long>> parsed = new LinkedHashMap<>();

    public TraceIndex(Map<String, Map<String, Long>> byGvk) {
        this.byGvk = byGvk;
        byGvk.forEach((k, v) -> {
            try {
                Gvk gvk = Gvk.parse(k);
                Map<String, Long> seen = parsed.get(gvk);
                if (seen == null) {
                    parsed.put(gvk, v); // shared, not copied: an index can hold millions of entries
                } else {
                    // Two spellings of one GVK ("/v1.Pod" and "v1.Pod"): merge into a new map.
                    Map<String, Long> merged = new LinkedHashMap<>(seen);
                    merged.putAll(v);
                    parsed.put(gvk, merged);
                }
            } catch (IllegalArgumentException e) {
                // The validator reports unparsable keys; they simply never match a lookup.
            }
        });
    }

    public static TraceIndex empty() {
        return new TraceIndex(new LinkedHashMap<>());
    }

    /** The raw map, in file order. */
    public Map<String, Map<String, Long>> entries() {
        return Collections.unmodifiableMap(byGvk);
    }

    public boolean contains(Gvk gvk, String nsName) {
        Map<String, Long> m = parsed.get(gvk);
        return m != null && m.containsKey(nsName);
    }

    /** The recorded spec hash, or null when the object is not indexed. */
    public Long hash(Gvk gvk, String nsName) {
        Map<String, Long> m = parsed.get(gvk);
        return m == null ? null : m.get(nsName);
    }

    public int size() {
        return byGvk.values().stream().mapToInt(Map::size).sum();
    }

    /** Entry counts per GVK string, in file order. */
    public Map<String, Integer> countsByGvk() {
        Map<String, Integer> out = new LinkedHashMap<>();
        byGvk.forEach((k, v) -> out.put(k, v.size()));
        return out;
    }
}
