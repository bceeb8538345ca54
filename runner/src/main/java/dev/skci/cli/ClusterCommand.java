package dev.skci.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code skci cluster}: boot, inspect and remove the simulation cluster. */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = {
            "Manages the simulation cluster: a real control plane (etcd, kube-apiserver, controller-manager,",
            "scheduler) with fake KWOK nodes and cert-manager. The local provider runs it as processes on",
            "this host, bound to 127.0.0.1, with no Docker needed; state lives in ~/.cache/skci/clusters/<name>/."
        },
        subcommands = {ClusterUpCommand.class, ClusterStatusCommand.class, ClusterDownCommand.class, ClusterCalibrateCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  skci cluster up --nodes 5",
            "  export KUBECONFIG=$(skci cluster status --json | jq -r .kubeconfig)",
            "  skci cluster down",
            "  skci cluster calibrate          # how many pods/s this machine sustains, for the preflight"
        })
final class ClusterCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: up, status, down or calibrate");
    }
}
