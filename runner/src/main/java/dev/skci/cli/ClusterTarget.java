package dev.skci.cli;

import dev.skci.cluster.ClusterNames;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.ProviderOptions;
import dev.skci.cluster.Providers;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which cluster, through which provider: the options {@code skci run} and every {@code skci cluster}
 * subcommand share, declared once.
 */
final class ClusterTarget {
    @Option(names = "--name", defaultValue = ClusterSpec.DEFAULT_NAME, paramLabel = "NAME",
            description = "Cluster name (lower-case letters, digits, '-'). Default: ${DEFAULT-VALUE}.")
    String name;

    /**
     * The old spelling of {@code --name} in {@code skci run}; kept so existing pipelines keep working. A field of
     * its own: picocli applies {@code --name}'s default after parsing, which would overwrite a value set here.
     */
    @Option(names = "--cluster-name", hidden = true, paramLabel = "NAME")
    void deprecatedName(String value) {
        System.err.println("skci: --cluster-name is deprecated; use --name");
        deprecatedName = value;
    }

    private String deprecatedName;

    @Option(names = "--provider", defaultValue = Providers.DEFAULT, paramLabel = "PROVIDER",
            description = "Where the simulation cluster comes from: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}; "
                    + "--kubeconfig implies existing.",
            completionCandidates = ProviderNames.class)
    String provider;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "With --provider existing: the cluster to adopt (implies --provider existing).")
    Path kubeconfig;

    @Option(names = "--webhook-host", paramLabel = "ADDRESS",
            description = "The address at which the cluster's API server reaches this host, where skci serves its webhook. "
                    + "--provider existing: default 127.0.0.1 (for a kind cluster, the Docker network's gateway, e.g. "
                    + "172.18.0.1); --provider kind: detected (that gateway).")
    String webhookHost;

    @Option(names = "--api-port", defaultValue = "0", paramLabel = "PORT",
            description = "Local provider: the API server's port on 127.0.0.1 (default: a free port).")
    int apiPort;

    /** The provider names for {@code --help}, from the registry. */
    static final class ProviderNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Providers.all().stream().map(f -> f.name()).iterator();
        }
    }

    String checkedName() {
        return ClusterNames.check(deprecatedName != null && name.equals(ClusterSpec.DEFAULT_NAME) ? deprecatedName : name);
    }

    String providerName() {
        return kubeconfig != null && provider.equals(Providers.DEFAULT) ? "existing" : provider;
    }

    ClusterProvider provider(PrintWriter err) {
        if (apiPort < 0 || apiPort > 65_535) {
            throw dev.skci.SkciException.invalidInput("--api-port must be a TCP port, got " + apiPort);
        }
        ProviderOptions options = ProviderOptions.defaults(line -> {
            err.println("skci: " + line);
            err.flush();
        }).withApiServerPort(apiPort);
        if (kubeconfig != null) {
            options = options.withKubeconfig(kubeconfig);
        }
        if (webhookHost != null) {
            options = options.withWebhookHost(webhookHost);
        }
        return Providers.create(providerName(), options);
    }
}
