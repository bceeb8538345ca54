package dev.skci.trace.inspect;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * What {@code skci inspect} shows about a trace; {@code --json} prints this record as is. Times are Unix
 * seconds with RFC 3339 copies for people; maps are sorted by key.
 */
public record TraceSummary(
        String file,
        long sizeBytes,
        int version,
        String sourceFormat,
        boolean upgradedFromLegacy,
        Long firstTs,
        Long lastTs,
        String start,
        String end,
        long durationSeconds,
        int events,
        int emptyEvents,
        long applied,
        long deleted,
        Map<String, Long> appliedByKind,
        Map<String, Long> deletedByKind,
        Map<String, Long> objectsByNamespace,
        int indexEntries,
        Map<String, Integer> indexByKind,
        int lifecycleOwners,
        int lifecycleEntries,
        List<Owner> lifecycles,
        Activity activity) {

    /** One pod_lifecycles owner; {@code indexed} says whether SimKube would ever look it up. */
    public record Owner(String gvk, String nsName, boolean indexed, List<Bucket> hashes) {}

    /** The lifecycles recorded under one pod-spec hash (an unsigned 64-bit value). */
    public record Bucket(BigInteger hash, List<Entry> lifecycles) {}

    /** {@code state} is Empty, Running or Finished; start/end/duration are null where they do not apply. */
    public record Entry(String state, Long start, Long end, Long durationSeconds) {}

    /**
     * Objects (applied plus deleted) and events per time bucket: bucket i covers
     * {@code [startTs + i * bucketSeconds, startTs + (i + 1) * bucketSeconds)}.
     */
    public record Activity(long startTs, long bucketSeconds, List<Long> objects, List<Integer> events) {
        public long max() {
            return objects.stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }
}
