package dev.skci.cli;

import dev.skci.ExitCode;
import dev.skci.SkciException;
import dev.skci.cluster.NodeImport;
import dev.skci.config.ConfigFile;
import dev.skci.config.PoolsYaml;
import dev.skci.config.SkciConfig;
import dev.skci.replay.ReplayPlan;
import dev.skci.trace.codec.TraceFile;
import dev.skci.trace.validate.ValidationReport;
import dev.skci.trace.validate.Validator;
import dev.skci.verdict.DefaultCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code skci init}: a starter skci.yaml that validates. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a starter skci.yaml: the traces to replay (with a speed that keeps each replay within about ten",
            "minutes), the default checks every simulation gets (as comments, with how to switch one off), an",
            "example expectation, and the node pools of your production cluster from 'kubectl get nodes -o json'",
            "(or a commented example). The file is checked like 'skci validate --config' before it is written.",
            "Every key is described in docs/config.md."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  skci init --trace traces/checkout.sktrace",
            "  kubectl get nodes -o json > nodes.json && skci init --trace traces/checkout.sktrace --nodes nodes.json",
            "  skci init -o ci/skci.yaml --force"
        })
final class InitCommand implements Callable<Integer> {
    /** Replays longer than this get a speed suggested. */
    private static final long TARGET_WALL_SECONDS = 600;

    @Option(names = "--trace", paramLabel = "TRACE", description = "A trace to replay (repeatable); listed under simulations:.")
    List<Path> traces = new ArrayList<>();

    @Option(names = "--nodes", paramLabel = "NODES",
            description = "The output of 'kubectl get nodes -o json': its nodes become cluster.nodePools (as 'skci nodes import').")
    Path nodes;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = SkciConfig.DEFAULT_FILE,
            description = "Where to write the config. Default: ${DEFAULT-VALUE}.")
    Path output;

    @Option(names = "--force", description = "Overwrite the file if it exists.")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(output) && !force) {
            throw SkciException.invalidInput(output + " exists; give --force to overwrite it, or -o another file");
        }
        Path dir = output.toAbsolutePath().getParent();
        String text = render(dir, traces, Optional.ofNullable(nodes).map(n -> NodeImport.fromNodes(NodeImport.read(n))));
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + output.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            ConfigFile.load(tmp); // the starter must be valid as written
        } catch (SkciException e) {
            Files.deleteIfExists(tmp);
            throw new IllegalStateException("the starter config does not validate: " + e.getMessage(), e);
        }
        Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        spec.commandLine().getErr().println("skci: wrote " + output + "; check it with 'skci validate --config " + output
                + "', run it with 'skci run --config " + output + "'");
        spec.commandLine().getErr().flush();
        return ExitCode.PASSED.code();
    }

    /** The starter config's text, for traces relative to the config's directory {@code dir}. */
    static String render(Path dir, List<Path> traces, Optional<NodeImport.Result> pools) throws IOException {
        StringBuilder y = new StringBuilder();
        y.append("# skci configuration, written by 'skci init'. Every key, its default and an example: docs/config.md;\n");
        y.append("# the metrics expectations can use and the default checks: docs/expectations.md.\n");
        y.append("# Check it with 'skci validate --config <this file>'; run it with 'skci run --config <this file>'.\n");
        y.append("apiVersion: ").append(SkciConfig.API_VERSION).append('\n');
        y.append("kind: ").append(SkciConfig.KIND).append("\n\n");

        if (traces.isEmpty()) {
            y.append("# The traces to replay, relative to this file; each entry may override any setting below.\n");
            y.append("# simulations:\n#   - trace: traces/checkout.sktrace\n#     speed: 10\n\n");
        } else {
            y.append("# The traces to replay, relative to this file; each entry may override any setting below.\n");
            y.append("simulations:\n");
            for (Path t : traces) {
                TraceFile f = TraceFile.open(t);
                ValidationReport report = Validator.validate(f);
                if (report.hasErrors()) {
                    throw SkciException.invalidInput(t + ": the trace is invalid (" + report.errorCount() + " error(s)); 'skci validate "
                            + t + "' lists them");
                }
                long span = ReplayPlan.scan(f, Optional.empty()).spanSeconds();
                String rel = dir.relativize(t.toAbsolutePath().normalize()).toString();
                y.append("  - trace: ").append(PoolsYaml.scalar(rel)).append('\n');
                long speed = speedFor(span);
                if (speed > 1) {
                    y.append("    speed: ").append(speed).append("   # the trace spans ").append(human(span)).append("; about ")
                            .append(human(span / speed)).append(" of replay\n");
                } else {
                    y.append("    # the trace spans ").append(human(span)).append(", replayed in real time (speed: 1)\n");
                }
            }
            y.append('\n');
        }

        y.append("# Default checks, all on. Switch one off only with a reason, e.g.\n");
        y.append("#   defaultExpectations:\n#     every-pod-scheduled: {enabled: false, reason: \"pending pods are expected here\"}\n");
        for (DefaultCheck c : DefaultCheck.values()) {
            y.append(String.format(Locale.ROOT, "#   %-26s %-11s %s%n", c.id(), c.kind().name().toLowerCase(Locale.ROOT), c.description()));
        }
        y.append('\n');
        y.append("# Your own expectations: CEL over the metrics (docs/expectations.md#variables).\n");
        y.append("expectations:\n");
        y.append("  - name: scheduled-quickly\n");
        y.append("    expr: pods.schedulingLatency.trace.p99 < duration('30s')\n");
        y.append("    message: pods waited too long for a node\n");
        y.append("    severity: warn   # reported, not failing; make it fail once it has held for a while\n\n");

        y.append("# The simulated cluster: node pools shaped like production, optionally a scheduler configuration and the\n");
        y.append("# Kubernetes version. Without nodePools a run gets 3 nodes of 8 CPU and 32Gi (or --nodes N).\n");
        y.append("cluster:\n");
        if (pools.isPresent()) {
            NodeImport.Result r = pools.get();
            y.append("  # From ").append(r.nodes()).append(" production node(s), as 'skci nodes import' makes them");
            y.append(r.droppedLabels().isEmpty() ? ".\n" : "; left out: " + String.join(", ", r.droppedLabels().keySet()) + ".\n");
            y.append(PoolsYaml.block(r.pools(), "  ", null));
        } else {
            y.append("  nodePools:\n");
            y.append("    - name: general\n");
            y.append("      count: 3\n");
            y.append("      capacity: {cpu: 8, memory: 32Gi, pods: 110}\n");
            y.append("      labels: {node.kubernetes.io/instance-type: m5.2xlarge}\n");
            y.append("      zones: [us-east-1a, us-east-1b, us-east-1c]\n");
            y.append("  # 'kubectl get nodes -o json > nodes.json && skci nodes import nodes.json -o pools.yaml' describes yours;\n");
            y.append("  # then: nodePools: pools.yaml\n");
        }
        y.append("  # scheduler:\n  #   config: scheduler.yaml     # a KubeSchedulerConfiguration (local provider)\n");
        y.append("  # kubernetesVersion: \"1.34\"    # another pinned minor, built on first use\n");
        return y.toString();
    }

    /** The smallest of 1, 2, 5, 10, 20, 50, ... that replays {@code span} seconds within the target. */
    static long speedFor(long span) {
        long speed = 1;
        long[] steps = {2, 5, 10};
        for (long scale = 1; span / speed > TARGET_WALL_SECONDS; scale *= 10) {
            for (long s : steps) {
                speed = s * scale;
                if (span / speed <= TARGET_WALL_SECONDS) {
                    return speed;
                }
            }
        }
        return speed;
    }

    static String human(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 7200) {
            return (seconds + 30) / 60 + " min";
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600.0);
    }
}
