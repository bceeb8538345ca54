package dev.skci.autoscaler;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code cluster.autoscaler.karpenter} of skci.yaml, read and checked before any cluster work: the user's NodePools and
 * KWOK node classes (as written, skci's markers are added per run by {@link KarpenterPlan}), the KWOK provider's
 * instance types, and Karpenter's batching windows in trace time (docs/karpenter.md).
 *
 * @param where where it was configured ({@code skci.yaml:12}), for messages
 */
public record KarpenterSpec(List<Manifest> nodePools, List<Manifest> nodeClasses, Optional<Path> instanceTypes,
        Optional<Duration> batchIdleDuration, Optional<Duration> batchMaxDuration, String where) {
    /** Karpenter's own defaults for its batching window (its --batch-idle-duration and --batch-max-duration). */
    public static final Duration DEFAULT_BATCH_IDLE = Duration.ofSeconds(1);
    public static final Duration DEFAULT_BATCH_MAX = Duration.ofSeconds(10);

    public KarpenterSpec {
        nodePools = List.copyOf(nodePools);
        nodeClasses = List.copyOf(nodeClasses);
        Objects.requireNonNull(instanceTypes);
        Objects.requireNonNull(batchIdleDuration);
        Objects.requireNonNull(batchMaxDuration);
        if (nodePools.isEmpty()) {
            throw new IllegalArgumentException("Karpenter needs at least one NodePool");
        }
    }
}
