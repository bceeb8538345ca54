package dev.skci.cli;

import dev.skci.SkciException;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.NodeCapacity;
import picocli.CommandLine.Option;

/** The virtual nodes to create: shared by {@code skci run} and {@code skci cluster up}, declared once. */
final class NodeOptions {
    @Option(names = "--nodes", defaultValue = "3", paramLabel = "N",
            description = "Virtual (KWOK) nodes, 1..10000. Default: ${DEFAULT-VALUE}.")
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
        if (nodes < 1 || nodes > 10_000) {
            throw SkciException.invalidInput("--nodes must be between 1 and 10000, got " + nodes);
        }
        ClusterSpec.NodeShape shape = new ClusterSpec.NodeShape(nodeCpu, nodeMemory, nodePods);
        NodeCapacity.of(shape);
        return new ClusterSpec(clusterName, nodes, shape);
    }
}
