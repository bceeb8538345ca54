package dev.skci.cli;

import dev.skci.SkciException;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.NodeCapacity;
import picocli.CommandLine.Option;

/** The virtual nodes to create: shared by {@code skci run} and {@code skci cluster up}, declared once. */
final class NodeOptions {
    @Option(names = "--nodes", defaultValue = "3", paramLabel = "N",
            description = "Virtual (KWOK) nodes, 1..10000 (0..10000 with an autoscaler). Default: ${DEFAULT-VALUE}; none when every "
                    + "simulation has Karpenter in the loop.")
    int nodes;

    @Option(names = "--node-cpu", defaultValue = "8", paramLabel = "QTY",
            description = "CPU capacity of each virtual node (Kubernetes quantity). Default: ${DEFAULT-VALUE}.")
    String nodeCpu;

    @Option(names = "--node-memory", defaultValue = "32Gi", paramLabel = "QTY",
            description = "Memory capacity of each virtual node. Default: ${DEFAULT-VALUE}.")
    String nodeMemory;

    @Option(names = "--node-pods", defaultValue = "110", paramLabel = "N",
            description = "Pod capacity of each virtual node. Default: ${DEFAULT-VALUE}.")
    int nodePods;

    /** The cluster to boot; a bad count or shape is invalid input, found before anything boots. */
    ClusterSpec spec(String clusterName) {
        return spec(clusterName, false, false, true);
    }

    /**
     * As {@link #spec(String)}, for simulations with an autoscaler: {@code --nodes 0} is allowed, and with
     * {@code autoscaledOnly} (every simulation has one) and {@code --nodes} not given, the autoscaler makes every node.
     */
    ClusterSpec spec(String clusterName, boolean autoscaled, boolean autoscaledOnly, boolean nodesGiven) {
        if (nodes < (autoscaled ? 0 : 1) || nodes > 10_000) {
            throw SkciException.invalidInput("--nodes must be between " + (autoscaled ? 0 : 1) + " and 10000, got " + nodes
                    + (autoscaled || nodes != 0 ? "" : " (0 only with an autoscaler: cluster.autoscaler in the config)"));
        }
        ClusterSpec.NodeShape shape = new ClusterSpec.NodeShape(nodeCpu, nodeMemory, nodePods);
        NodeCapacity.of(shape);
        return new ClusterSpec(clusterName, autoscaledOnly && !nodesGiven ? 0 : nodes, shape);
    }

}
