package dev.skci.cluster;

import java.util.Objects;

/** What to boot: a name, and the virtual nodes to create (none when an autoscaler makes them). */
public record ClusterSpec(String name, int nodes, NodeShape nodeShape) {
    public static final String DEFAULT_NAME = "skci";

    public ClusterSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(nodeShape);
        // Zero is for an autoscaler that makes every node (cluster.autoscaler.karpenter); the CLI allows it only then.
        if (nodes < 0) {
            throw new IllegalArgumentException("a negative number of virtual nodes");
        }
    }

    public static ClusterSpec defaults() {
        return new ClusterSpec(DEFAULT_NAME, 3, NodeShape.DEFAULT);
    }

    /** Capacity of each virtual node, in Kubernetes quantity syntax. */
    public record NodeShape(String cpu, String memory, int pods) {
        /** Roughly an m5.2xlarge. */
        public static final NodeShape DEFAULT = new NodeShape("8", "32Gi", 110);
    }
}
