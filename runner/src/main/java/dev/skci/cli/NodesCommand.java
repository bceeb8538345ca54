package dev.skci.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code skci nodes}: the simulated cluster's nodes, described as node pools. */
@Command(
        name = "nodes",
        mixinStandardHelpOptions = true,
        description = {"Node pools: the shape of a production cluster, kept in the repository (docs/config.md, \"Node pools\")."},
        subcommands = {NodesImportCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  kubectl get nodes -o json > nodes.json",
            "  skci nodes import nodes.json -o pools.yaml"
        })
final class NodesCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: import");
    }
}
