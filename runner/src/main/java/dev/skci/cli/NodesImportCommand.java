package dev.skci.cli;

import dev.skci.ExitCode;
import dev.skci.SkciException;
import dev.skci.cluster.NodeImport;
import dev.skci.cluster.PoolSpec;
import dev.skci.config.ClusterConfig;
import dev.skci.config.PoolsYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skci nodes import}: production nodes into node pools. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Turns the output of 'kubectl get nodes -o json' (or -o yaml) into node pools: nodes of the same shape",
            "(labels, taints, capacity, allocatable) become one pool with their count, and their zones the pool's",
            "zone spread. Labels that name one node (hostname, instance id, a label with a different value on every",
            "node) and what the control plane adds on its own (not-ready and cordon taints, an autoscaler's",
            "deletion marks, volume attachment limits) are left out and listed. Memory that differs by under 1%",
            "between otherwise identical nodes counts as one shape (the smallest is kept).",
            "%nWrite the pools to a file and name it in skci.yaml (cluster: {nodePools: pools.yaml}), or let",
            "'skci init --nodes nodes.json' put them into a new config."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kubectl get nodes -o json > nodes.json",
            "  skci nodes import nodes.json -o pools.yaml",
            "  skci nodes import nodes.json            # the pools on standard output"
        })
final class NodesImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NODES", description = "A file with the output of kubectl get nodes -o json (or -o yaml).")
    Path nodes;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write the pools file. Default: standard output.")
    Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        NodeImport.Result r = NodeImport.fromNodes(NodeImport.read(nodes));
        String yaml = render(r, nodes.getFileName().toString());
        if (output == null) {
            spec.commandLine().getOut().print(yaml);
            spec.commandLine().getOut().flush();
        } else {
            Path tmp = output.toAbsolutePath().resolveSibling(output.getFileName() + ".tmp");
            Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
            Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            // What was written must read back: the same checks a config's pools get.
            try {
                ClusterConfig.loadPools(output);
            } catch (SkciException e) {
                throw new IllegalStateException("the pools written to " + output + " do not read back: " + e.getMessage(), e);
            }
        }
        var err = spec.commandLine().getErr();
        err.println("skci: " + r.nodes() + " node(s) grouped into " + r.pools().size() + " pool(s): " + summary(r.pools())
                + (output == null ? "" : "; written to " + output));
        r.droppedLabels().forEach((k, why) -> err.println("skci: left out label " + k + ": " + why));
        err.flush();
        return ExitCode.PASSED.code();
    }

    static String render(NodeImport.Result r, String from) {
        List<String> header = new ArrayList<>(List.of(
                "Node pools of " + r.nodes() + " production node(s), made by 'skci nodes import " + from + "'.",
                "Name this file in skci.yaml (cluster: {nodePools: <this file>}); docs/config.md describes every key."));
        if (!r.droppedLabels().isEmpty()) {
            header.add("Left out, as they name single nodes or repeat the zone: " + String.join(", ", r.droppedLabels().keySet()) + ".");
        }
        List<String> notes = r.pools().stream().map(p -> p.count() + " node(s)"
                + (p.labels().containsKey("node.kubernetes.io/instance-type") ? " of " + p.labels().get("node.kubernetes.io/instance-type") : "")
                + (p.zones().size() > 1 ? " over " + p.zones().size() + " zones" : "")).toList();
        return PoolsYaml.file(r.pools(), header, notes);
    }

    private static String summary(List<PoolSpec> pools) {
        return String.join(", ", pools.stream().map(p -> p.name() + " " + p.count()).toList());
    }
}
