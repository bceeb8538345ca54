package dev.skci.cli;

import dev.skci.cluster.Cluster;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.NodeCapacity;
import dev.skci.cluster.local.LocalProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code skci cluster up}: boot (or adopt) a cluster and print its kubeconfig path. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = {
            "Boots a simulation cluster and waits until it is ready: API server answering, every node Ready,",
            "cert-manager's controller and cainjector running (leader election off). Installs skci's KWOK",
            "stages, N virtual nodes (type=virtual, tainted kwok-provider) and one decoy node standing in for",
            "a real worker. If a healthy cluster of that name already runs, it is adopted; a directory left",
            "by a killed run is cleaned up first. Prints the kubeconfig path on stdout; progress goes to stderr."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  skci cluster up",
            "  skci cluster up --name ci-42 --nodes 10 --node-cpu 16 --node-memory 64Gi",
            "  export KUBECONFIG=$(skci cluster up)",
            "  skci cluster up --provider existing --kubeconfig ~/.kube/sim.yaml"
        })
final class ClusterUpCommand implements Callable<Integer> {
    @Mixin
    ClusterTarget target;

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

    @Option(names = "--api-port", defaultValue = "0", paramLabel = "PORT",
            description = "Local provider: API server port on 127.0.0.1 (default: a free port).")
    int apiPort;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (nodes < 1 || nodes > 10_000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--nodes must be between 1 and 10000, got " + nodes);
        }
        if (apiPort < 0 || apiPort > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--api-port must be a TCP port, got " + apiPort);
        }
        ClusterSpec.NodeShape shape = new ClusterSpec.NodeShape(nodeCpu, nodeMemory, nodePods);
        NodeCapacity.of(shape); // reject a bad shape before booting anything
        ClusterSpec clusterSpec = new ClusterSpec(target.checkedName(), nodes, shape);
        LocalProvider.Options options = LocalProvider.Options.DEFAULT.withApiServerPort(apiPort);
        try (Cluster cluster = target.provider(options, spec.commandLine().getErr()).up(clusterSpec)) {
            spec.commandLine().getOut().println(cluster.kubeconfig());
            spec.commandLine().getOut().flush();
        }
        return ExitCode.PASSED.code();
    }
}
