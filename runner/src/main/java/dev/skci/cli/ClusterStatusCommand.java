package dev.skci.cli;

import dev.skci.ExitCode;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.SkciException;
import dev.skci.cluster.ClusterStatus;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code skci cluster status}: kubeconfig path, component versions, node counts, problems. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Shows a cluster's kubeconfig path, component versions and node counts, and what is wrong with it",
            "if anything. Exits 0 when the cluster is healthy, 3 when it is missing or unhealthy."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  skci cluster status",
            "  skci cluster status --name ci-42 --json | jq -r .kubeconfig"
        })
final class ClusterStatusCommand implements Callable<Integer> {
    @Mixin
    ClusterTarget target;

    @Option(names = "--json", description = "Print one JSON document (field 'kubeconfig' holds the path).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String name = target.checkedName();
        ClusterStatus s = target.provider(spec.commandLine().getErr()).status(name)
                .orElseThrow(() -> SkciException.environment("no cluster named '" + name + "'; start one with 'skci cluster up"
                        + (name.equals(dev.skci.cluster.ClusterSpec.DEFAULT_NAME) ? "" : " --name " + name) + "'"));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, toJson(s));
        } else {
            printText(out, s);
        }
        return s.healthy() ? ExitCode.PASSED.code() : ExitCode.ENVIRONMENT.code();
    }

    private static ObjectNode toJson(ClusterStatus s) {
        ObjectNode o = Json.object();
        o.put("name", s.name());
        o.put("provider", s.provider());
        o.put("kubeconfig", s.kubeconfig().toString());
        o.put("healthy", s.healthy());
        o.put("apiReachable", s.apiReachable());
        ObjectNode components = o.putObject("components");
        s.componentVersions().forEach(components::put);
        ObjectNode nodes = o.putObject("nodes");
        nodes.put("total", s.nodes());
        nodes.put("ready", s.readyNodes());
        nodes.put("virtual", s.virtualNodes());
        var processes = o.putArray("processes");
        for (dev.skci.cluster.Component c : s.processes()) {
            ObjectNode p = processes.addObject();
            p.put("name", c.name());
            p.put("running", c.running());
            var flags = p.putArray("flags");
            c.flags().forEach(flags::add);
        }
        var problems = o.putArray("problems");
        s.problems().forEach(problems::add);
        return o;
    }

    private static void printText(PrintWriter out, ClusterStatus s) {
        out.printf("cluster     %s (%s)%n", s.name(), s.provider());
        out.printf("state       %s%n", s.healthy() ? "ready" : "NOT READY");
        out.printf("kubeconfig  %s%n", s.kubeconfig());
        out.printf("nodes       %d total, %d ready, %d virtual%n", s.nodes(), s.readyNodes(), s.virtualNodes());
        for (Map.Entry<String, String> c : s.componentVersions().entrySet()) {
            out.printf("%-11s %s%n", c.getKey(), c.getValue());
        }
        for (dev.skci.cluster.Component c : s.processes()) {
            out.printf("process     %s (%s) %s%n", c.name(), c.running() ? "running" : "NOT RUNNING", String.join(" ", c.flags()));
        }
        for (String p : s.problems()) {
            out.printf("problem     %s%n", p);
        }
        out.flush();
    }
}
