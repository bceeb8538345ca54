package dev.skci.cli;

import dev.skci.ExitCode;

import dev.skci.cluster.Cluster;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.Clusters;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code skci cluster up}: boot (or adopt) a cluster and print its kubeconfig path. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = {
            "Boots a simulation cluster and waits until it is ready: API server answering, every node Ready,",
            "cert-manager's controller and cainjector running (leader election off). Installs skci's KWOK",
            "stages, N virtual nodes (type=virtual, tainted kwok-provider) and one decoy node standing in for",
            "a real worker. If a healthy cluster of that name already runs, it is adopted; a directory left",
            "by a killed run is cleaned up first. Prints the kubeconfig path on stdout; progress goes to stderr.",
            "--provider kind creates a kind cluster from skci's offline node image (or adopts a running one of",
            "that name) and installs KWOK and cert-manager in it, one replica each; nothing is pulled."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  skci cluster up",
            "  skci cluster up --name ci-42 --nodes 10 --node-cpu 16 --node-memory 64Gi",
            "  export KUBECONFIG=$(skci cluster up)",
            "  skci cluster up --provider kind --name ci-42",
            "  skci cluster up --provider existing --kubeconfig ~/.kube/sim.yaml"
        })
final class ClusterUpCommand implements Callable<Integer> {
    @Mixin
    ClusterTarget target;

    @Mixin
    NodeOptions nodes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ClusterSpec clusterSpec = nodes.spec(target.checkedName()); // a bad shape is rejected before anything boots
        try (Cluster cluster = Clusters.up(target.provider(spec.commandLine().getErr()), clusterSpec,
                line -> spec.commandLine().getErr().println("skci: " + line))) {
            spec.commandLine().getOut().println(cluster.kubeconfig());
            spec.commandLine().getOut().flush();
        }
        return ExitCode.PASSED.code();
    }
}
