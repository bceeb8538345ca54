package dev.skci.cluster.existing;

import dev.skci.cluster.Bootstrap;
import dev.skci.cluster.CertManagerProcesses;
import dev.skci.cluster.Cluster;
import dev.skci.cluster.ClusterNames;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.ClusterStatus;
import dev.skci.cluster.KubeClients;
import dev.skci.cluster.LogDirs;
import dev.skci.cluster.StatusProbe;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adopts a running cluster through a kubeconfig (docs/design.md, "Providers": it already has KWOK,
 * running with Stage CRDs, and cert-manager). {@code up} only checks that the API answers; {@code down}
 * removes what {@link Bootstrap} added and leaves the cluster itself alone.
 */
public final class ExistingProvider implements ClusterProvider {
    public static final String NAME = "existing";

    private final Path kubeconfig;
    private final String webhookHost;

    /**
     * @param webhookHost the address at which this cluster's API server reaches a server skci starts on
     *     this host (127.0.0.1 when the API server runs on this host)
     */
    public ExistingProvider(Path kubeconfig, String webhookHost) {
        this.kubeconfig = kubeconfig;
        this.webhookHost = webhookHost;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Cluster up(ClusterSpec spec) {
        ClusterNames.check(spec.name());
        KubeClients.probe(kubeconfig);
        AdoptedCluster cluster = new AdoptedCluster(spec.name(), KubeClients.fromKubeconfig(kubeconfig));
        if (spec.kubernetesVersion().isPresent()) {
            String runs = cluster.kubernetesVersion();
            if (!dev.skci.cluster.KubernetesVersions.matches(spec.kubernetesVersion().get(), runs)) {
                cluster.close();
                throw dev.skci.SkciException.invalidInput("--provider existing cannot honour cluster.kubernetesVersion "
                        + spec.kubernetesVersion().get() + ": the cluster in " + kubeconfig + " runs " + runs
                        + "; use --provider local, or a cluster of that version");
            }
        }
        return cluster;
    }

    @Override
    public void down(String clusterName) {
        KubeClients.probe(kubeconfig);
        try (KubernetesClient client = KubeClients.fromKubeconfig(kubeconfig)) {
            Bootstrap.uninstall(client);
        }
    }

    @Override
    public Optional<ClusterStatus> status(String clusterName) {
        return Optional.of(StatusProbe.observe(clusterName, NAME, kubeconfig, Map.of(), List.of()));
    }

    private final class AdoptedCluster implements Cluster {
        private final String name;
        private final KubernetesClient client;

        AdoptedCluster(String name, KubernetesClient client) {
            this.name = name;
            this.client = client;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String provider() {
            return NAME;
        }

        @Override
        public Path kubeconfig() {
            return kubeconfig;
        }

        @Override
        public KubernetesClient client() {
            return client;
        }

        @Override
        public String webhookHost() {
            return webhookHost;
        }

        @Override
        public boolean bootedHere() {
            return false;
        }

        /** Logs on this host only when the kubeconfig declares where (one written by 'skci cluster up' does). */
        @Override
        public String logHint(String component) {
            return LogDirs.declared(kubeconfig).map(d -> d.resolve(component).toString())
                    .orElse("the " + component + " log of your cluster");
        }

        @Override
        public Map<String, Path> logFiles() {
            return LogDirs.declared(kubeconfig).map(LogDirs::files).orElse(Map.of());
        }

        @Override
        public Optional<CertManagerProcesses> certManager() {
            return Optional.empty();
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
