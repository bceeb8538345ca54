package dev.skci.cli;

import dev.skci.SkciException;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.NodeCapacity;
import dev.skci.cluster.PoolSpec;
import dev.skci.cluster.Pools;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The quick default pool: shared by {@code skci run} and {@code skci cluster up}, declared once. Unset flags stay
 * null, so "not given" can be told from "given the default": a cluster keeps its own pools unless a flag is given
 * (docs/config.md, "Node pools").
 */
final class NodeOptions {
    @Option(names = "--nodes", paramLabel = "N",
            description = "Virtual (KWOK) nodes of the quick default pool, 1..10000 (0..10000 with an autoscaler; a config's "
                    + "cluster.nodePools describes more shapes; not both). Default: 3 on a new cluster (none when every simulation "
                    + "has Karpenter in the loop); an existing one keeps its pools.")
    Integer nodes;

    @Option(names = "--node-cpu", paramLabel = "QTY",
            description = "CPU capacity of each node of the quick pool (Kubernetes quantity). Default: 8.")
    String nodeCpu;

    @Option(names = "--node-memory", paramLabel = "QTY", description = "Memory capacity of each node of the quick pool. Default: 32Gi.")
    String nodeMemory;

    @Option(names = "--node-pods", paramLabel = "N", description = "Pod capacity of each node of the quick pool. Default: 110.")
    Integer nodePods;

    /** The quick pool, when any flag was given; a bad count or shape is invalid input, found before anything boots. */
    Optional<List<PoolSpec>> pools() {
        if (nodes == null && nodeCpu == null && nodeMemory == null && nodePods == null) {
            return Optional.empty();
        }
        int n = nodes == null ? ClusterSpec.DEFAULT_NODES : nodes;
        // 0 is for a run whose autoscaler makes every node; RunCommand refuses it without one.
        if (n < 0 || n > Pools.MAX_NODES) {
            throw SkciException.invalidInput("--nodes must be between 1 and " + Pools.MAX_NODES + ", got " + n);
        }
        ClusterSpec.NodeShape d = ClusterSpec.NodeShape.DEFAULT;
        ClusterSpec.NodeShape shape = new ClusterSpec.NodeShape(nodeCpu == null ? d.cpu() : nodeCpu,
                nodeMemory == null ? d.memory() : nodeMemory, nodePods == null ? d.pods() : nodePods);
        NodeCapacity.of(shape);
        return Optional.of(List.of(PoolSpec.quick(n, shape)));
    }

    /** {@code --nodes 0} is only for a run whose autoscaler makes every node; {@code why} ends the message. */
    static void refuseNoNodes(Optional<List<PoolSpec>> pools, String why) {
        if (pools.map(Pools::total).orElse(1) == 0) {
            throw SkciException.invalidInput("--nodes must be between 1 and " + Pools.MAX_NODES + ", got 0" + why);
        }
    }

}
