package dev.skci.trace.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skci.trace.Gvk;
import dev.skci.trace.KubeObject;
import dev.skci.trace.TraceIndex;
import dev.skci.trace.hash.JsonHash;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the event pass remembers per object: whether it was applied, and the spec hash of its last
 * applied version with where that was. This is the only per-object state validation keeps, so it
 * works on traces larger than the heap as long as the set of distinct objects fits.
 */
final class ObjectHistory {
    private record Key(Gvk gvk, String nsName) {}

    private record LastApplied(long specHash, int event, long ts) {}

    // Insertion order (first application) gives a stable "first stale object" for the message.
    private final Map<Key, LastApplied> applied = new LinkedHashMap<>();

    void applied(KubeObject o, int event, long ts) {
        Key k = new Key(o.gvk(), o.nsName());
        JsonNode spec = o.get("spec");
        applied.put(k, new LastApplied(JsonHash.hash(spec), event, ts));
    }

    /** A deleted object that no earlier event applied: a warning, since replay tolerates the 404. */
    void deleted(KubeObject o, int event, long ts, Findings out) {
        if (!applied.containsKey(new Key(o.gvk(), o.nsName()))) {
            out.add(Rule.DELETED_NEVER_APPLIED, event, ts, o.describe(), "is deleted but no earlier event applies it; "
                    + "the replay skips the delete (the object does not exist)");
        }
    }

    void finish(TraceIndex index, Findings out) {
        int stale = 0;
        int missing = 0;
        Key firstStale = null;
        Key firstMissing = null;
        for (Map.Entry<Key, LastApplied> e : applied.entrySet()) {
            Key k = e.getKey();
            Long h = index.hash(k.gvk(), k.nsName());
            if (h == null) {
                missing++;
                firstMissing = firstMissing == null ? k : firstMissing;
            } else if (h != e.getValue().specHash()) {
                stale++;
                firstStale = firstStale == null ? k : firstStale;
            }
        }
        if (stale > 0) {
            LastApplied at = applied.get(firstStale);
            out.add(Rule.INDEX_STALE_HASH, at.event(), at.ts(), describe(firstStale),
                    stale + " of " + applied.size() + " applied objects have an index hash that differs from the spec of "
                            + "their last applied version (this one is the first); the trace was probably edited after "
                            + "export. SimKube only checks index membership, so replay is unaffected");
        }
        if (missing > 0) {
            LastApplied at = applied.get(firstMissing);
            out.add(Rule.INDEX_MISSING_OBJECT, at.event(), at.ts(), describe(firstMissing),
                    missing + " of " + applied.size() + " applied objects are not in the index (this one is the first); "
                            + "pod lifecycles are only looked up for indexed owners");
        }
    }

    private static String describe(Key k) {
        return k.gvk().apiVersion() + " " + k.gvk().kind() + " " + k.nsName();
    }
}
