package dev.skci.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to boot or adopt: a name, the virtual nodes, the scheduler's configuration and the Kubernetes version.
 *
 * @param pools the node pools to give the cluster, which become its default (remembered on the cluster, see
 *     {@link SimNames#ANNOTATION_DEFAULT_POOLS}); empty keeps the default an adopted cluster has, and gives a new one
 *     the quick default pool ({@link #DEFAULT_NODES} × {@link NodeShape#DEFAULT})
 * @param scheduler the configuration to start kube-scheduler with (where the provider runs it); empty: the defaults
 * @param kubernetesVersion the control plane's version ({@code v1.34.4}); empty: the pinned default, or whatever an
 *     adopted cluster runs
 */
public record ClusterSpec(String name, Optional<List<PoolSpec>> pools, Optional<SchedulerConfig> scheduler,
        Optional<String> kubernetesVersion) {
    public static final String DEFAULT_NAME = "skci";
    public static final int DEFAULT_NODES = 3;

    public ClusterSpec {
        Objects.requireNonNull(name);
        pools = pools.map(List::copyOf);
        Objects.requireNonNull(scheduler);
        Objects.requireNonNull(kubernetesVersion);
    }

    /** {@code nodes} nodes of one shape: the quick default pool. */
    public ClusterSpec(String name, int nodes, NodeShape nodeShape) {
        this(name, Optional.of(List.of(PoolSpec.quick(check(nodes), nodeShape))), Optional.empty(), Optional.empty());
    }

    /** A name only: the default pools, scheduler and version. */
    public static ClusterSpec named(String name) {
        return new ClusterSpec(name, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static ClusterSpec defaults() {
        return new ClusterSpec(DEFAULT_NAME, DEFAULT_NODES, NodeShape.DEFAULT);
    }

    /** The pools of a cluster that nothing else describes. */
    public static List<PoolSpec> defaultPools() {
        return List.of(PoolSpec.quick(DEFAULT_NODES, NodeShape.DEFAULT));
    }

    public ClusterSpec withPools(List<PoolSpec> p) {
        return new ClusterSpec(name, Optional.of(p), scheduler, kubernetesVersion);
    }

    public ClusterSpec withScheduler(Optional<SchedulerConfig> s) {
        return new ClusterSpec(name, pools, s, kubernetesVersion);
    }

    public ClusterSpec withKubernetesVersion(Optional<String> v) {
        return new ClusterSpec(name, pools, scheduler, v);
    }

    /** Virtual nodes the spec asks for, or the quick default's when it leaves them to the cluster. */
    public int nodes() {
        return Pools.total(pools.orElse(defaultPools()));
    }

    private static int check(int nodes) {
        // Zero is for an autoscaler that makes every node (cluster.autoscaler.karpenter); the CLI allows it only then.
        if (nodes < 0) {
            throw new IllegalArgumentException("a negative number of virtual nodes");
        }
        return nodes;
    }

    /** Capacity of each virtual node, in Kubernetes quantity syntax. */
    public record NodeShape(String cpu, String memory, int pods) {
        /** Roughly an m5.2xlarge. */
        public static final NodeShape DEFAULT = new NodeShape("8", "32Gi", 110);
    }
}
