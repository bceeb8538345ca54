package dev.skci.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one simulation asks of the cluster (skci.yaml's {@code cluster:}, global or per simulation, or the node flags).
 * Empty parts leave the cluster's defaults: its default pools ({@link Bootstrap#defaultPools}), kube-scheduler's
 * default configuration, and the version the cluster runs.
 */
public record ClusterShape(Optional<List<PoolSpec>> pools, Optional<SchedulerConfig> scheduler, Optional<String> kubernetesVersion) {
    public static final ClusterShape DEFAULT = new ClusterShape(Optional.empty(), Optional.empty(), Optional.empty());

    public ClusterShape {
        pools = Objects.requireNonNull(pools).map(List::copyOf);
        Objects.requireNonNull(scheduler);
        Objects.requireNonNull(kubernetesVersion);
    }

    public ClusterShape withKubernetesVersion(Optional<String> v) {
        return new ClusterShape(pools, scheduler, v);
    }

    /** The cluster to boot for it under {@code name}. */
    public ClusterSpec spec(String name) {
        return new ClusterSpec(name, pools, scheduler, kubernetesVersion);
    }
}
