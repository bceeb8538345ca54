package dev.skci.sim;

import dev.skci.trace.Gvk;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.PodLifecycles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds the recorded lifecycle of a simulated pod: for each owner candidate in order (the owner chain,
 * then the pod itself), the owner's hash bucket, then the entry for the pod's sequence number. Unlike
 * SimKube, the choice never depends on hash-map iteration order: the bucket is the one whose hash equals
 * the pod's reconstructed production hash, else the only bucket, else all buckets merged in start order.
 */
public final class LifecycleResolver {

    /** An owner as the trace names it: GVK and {@code <original namespace>/<name>}. */
    public record OwnerKey(Gvk gvk, String nsName) {
        @Override
        public String toString() {
            return gvk + " " + nsName;
        }
    }

    /** What the simulated pod should do. */
    public sealed interface Decision {
        /** The pod completes {@code runFor} after it turns Running. */
        record Completes(OwnerKey owner, int sequence, PodLifecycle.Finished entry, Duration runFor) implements Decision {}

        /** A lifecycle was found but it never finishes in the trace: the pod runs until deleted. */
        record RunsUntilDeleted(OwnerKey owner, int sequence, PodLifecycle entry) implements Decision {}

        /** The trace has nothing on this pod: it runs until deleted. */
        record NoLifecycle() implements Decision {}
    }

    private static final long MERGED = 0x6d65726765640000L; // any constant; keys the merged-bucket counter

    private final PodLifecycles lifecycles;
    private final long traceStart;
    private final double speed;
    private final Map<String, AtomicInteger> sequences = new ConcurrentHashMap<>();

    public LifecycleResolver(PodLifecycles lifecycles, long traceStart, double speed) {
        this.lifecycles = lifecycles;
        this.traceStart = traceStart;
        this.speed = speed;
    }

    /**
     * Resolves a pod. {@code dryRun} requests (the readiness probe) see the decision without using up a
     * sequence number.
     */
    public Decision resolve(List<OwnerKey> candidates, long podHash, boolean dryRun) {
        Decision fallback = new Decision.NoLifecycle();
        for (OwnerKey owner : candidates) {
            Map<Long, List<PodLifecycle>> buckets = lifecycles.buckets(owner.gvk(), owner.nsName());
            if (buckets.isEmpty()) {
                continue;
            }
            long key;
            List<PodLifecycle> list;
            if (buckets.containsKey(podHash)) {
                key = podHash;
                list = buckets.get(podHash);
            } else if (buckets.size() == 1) {
                Map.Entry<Long, List<PodLifecycle>> only = buckets.entrySet().iterator().next();
                key = only.getKey();
                list = only.getValue();
            } else {
                key = MERGED;
                list = merged(buckets);
            }
            if (list.isEmpty()) {
                continue; // refused by validation; never divide by zero here
            }
            int seq = sequence(owner, key, dryRun);
            PodLifecycle entry = list.get(seq % list.size());
            if (entry instanceof PodLifecycle.Finished f) {
                return new Decision.Completes(owner, seq, f, runFor(f.start(), f.end()));
            }
            if (fallback instanceof Decision.NoLifecycle) {
                fallback = new Decision.RunsUntilDeleted(owner, seq, entry);
            }
        }
        return fallback;
    }

    /**
     * How long a pod that ran from {@code start} to {@code end} (trace seconds) runs in the simulation:
     * only the part inside the trace window counts, scaled by the speed. A pod that was already running
     * when the trace began runs only its remaining time.
     */
    public Duration runFor(long start, long end) {
        long effectiveStart = Math.max(start, traceStart);
        long seconds = Math.max(0, end - effectiveStart);
        return Duration.ofMillis(Math.round(seconds * 1000.0 / speed));
    }

    private int sequence(OwnerKey owner, long bucket, boolean dryRun) {
        AtomicInteger counter = sequences.computeIfAbsent(owner + "#" + bucket, k -> new AtomicInteger());
        return dryRun ? counter.get() : counter.getAndIncrement();
    }

    private static List<PodLifecycle> merged(Map<Long, List<PodLifecycle>> buckets) {
        List<PodLifecycle> all = new ArrayList<>();
        buckets.values().forEach(all::addAll);
        all.sort(Comparator.comparingLong(LifecycleResolver::start).thenComparingLong(LifecycleResolver::end));
        return all;
    }

    private static long start(PodLifecycle l) {
        return switch (l) {
            case PodLifecycle.Finished f -> f.start();
            case PodLifecycle.Running r -> r.start();
            case PodLifecycle.Empty e -> Long.MAX_VALUE;
        };
    }

    private static long end(PodLifecycle l) {
        return l instanceof PodLifecycle.Finished f ? f.end() : Long.MAX_VALUE;
    }
}
