package dev.skci.cli;

import dev.skci.ExitCode;

import dev.skci.cluster.Cluster;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterShape;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.Clusters;
import dev.skci.config.Simulations;
import dev.skci.config.SkciConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
            "stages, the virtual nodes (type=virtual, tainted kwok-provider) of the node pools and one decoy",
            "node standing in for a real worker. The pools come from --nodes/--node-* or from --config's",
            "cluster: (pools, scheduler configuration, Kubernetes version; docs/config.md), and become the",
            "cluster's default. If a healthy cluster of that name already runs, it is adopted and its nodes",
            "follow what is given now (without flags or config it keeps its pools); a directory left by a",
            "killed run is cleaned up first. Prints the kubeconfig path on stdout; progress goes to stderr.",
            "--provider kind creates a kind cluster from skci's offline node image (or adopts a running one of",
            "that name) and installs KWOK and cert-manager in it, one replica each; nothing is pulled."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  skci cluster up",
            "  skci cluster up --name ci-42 --nodes 10 --node-cpu 16 --node-memory 64Gi",
            "  skci cluster up --config skci.yaml        # the config's global cluster: pools, scheduler, version",
            "  export KUBECONFIG=$(skci cluster up)",
            "  skci cluster up --provider kind --name ci-42",
            "  skci cluster up --provider existing --kubeconfig ~/.kube/sim.yaml"
        })
final class ClusterUpCommand implements Callable<Integer> {
    @Mixin
    ClusterTarget target;

    @Mixin
    NodeOptions nodes;

    @Option(names = "--config", paramLabel = "FILE",
            description = "An skci config: its global cluster: (node pools, scheduler configuration, Kubernetes version).")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // A bad shape or config is rejected before anything boots.
        Simulations.Flags flags = new Simulations.Flags(Optional.empty(), Optional.empty(), List.of(), nodes.pools());
        // A run with Karpenter may start without static nodes; a cluster on its own has no autoscaler to make them.
        NodeOptions.refuseNoNodes(flags.nodePools(), "");
        SkciConfig c = config == null ? SkciConfig.none() : Simulations.config(Optional.of(config));
        SkciConfig.Cluster global = c.global().cluster();
        ClusterShape shape = new ClusterShape(Simulations.runPools(c, flags), global.scheduler(), global.kubernetesVersion());
        ClusterSpec clusterSpec = shape.spec(target.checkedName());
        ClusterProvider provider = target.provider(spec.commandLine().getErr());
        provider.check(List.of(shape));
        try (Cluster cluster = Clusters.up(provider, clusterSpec, line -> spec.commandLine().getErr().println("skci: " + line))) {
            spec.commandLine().getOut().println(cluster.kubeconfig());
            spec.commandLine().getOut().flush();
        }
        return ExitCode.PASSED.code();
    }
}
