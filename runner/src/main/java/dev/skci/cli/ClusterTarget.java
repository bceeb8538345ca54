package dev.skci.cli;

import dev.skci.cluster.ClusterNames;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.Providers;
import dev.skci.cluster.local.LocalProvider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every {@code skci cluster} subcommand shares: which cluster, through which provider. */
final class ClusterTarget {
    @Option(names = "--name", defaultValue = ClusterSpec.DEFAULT_NAME, paramLabel = "NAME",
            description = "Cluster name (lower-case letters, digits, '-'). Default: ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--provider", defaultValue = Providers.DEFAULT, paramLabel = "PROVIDER",
            description = "local (processes on this host, the default), existing (adopt --kubeconfig) or kind (needs Docker).")
    String provider;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "With --provider existing: the cluster to adopt.")
    Path kubeconfig;

    String checkedName() {
        return ClusterNames.check(name);
    }

    ClusterProvider provider(LocalProvider.Options options, PrintWriter err) {
        return Providers.named(provider, Optional.ofNullable(kubeconfig), options, line -> {
            err.println("skci: " + line);
            err.flush();
        });
    }
}
