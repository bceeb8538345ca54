package dev.skci.cli;

import dev.skci.ExitCode;

import dev.skci.cluster.ClusterProvider;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code skci cluster down}: stop everything a cluster runs and remove its state. */
@Command(
        name = "down",
        mixinStandardHelpOptions = true,
        description = {
            "Stops every process of a local cluster (control plane via kwokctl, cert-manager via its pid files,",
            "then anything else still naming the cluster's directory), checks that none survived, and removes",
            "the working directory. Works after a crashed run too. Nothing to do is not an error.",
            "With --provider existing it removes only what skci added (its nodes and KWOK stages); with",
            "--provider kind it deletes the kind cluster of that name (kind delete cluster)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  skci cluster down",
            "  skci cluster down --name ci-42",
            "  skci cluster down --provider kind --name ci-42"
        })
final class ClusterDownCommand implements Callable<Integer> {
    @Mixin
    ClusterTarget target;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String name = target.checkedName();
        PrintWriter err = spec.commandLine().getErr();
        ClusterProvider provider = target.provider(err);
        boolean existed = provider.status(name).isPresent();
        provider.down(name);
        err.println(existed ? "skci: cluster '" + name + "' is down and its state removed"
                : "skci: no cluster named '" + name + "' (nothing to do)");
        err.flush();
        return ExitCode.PASSED.code();
    }
}
