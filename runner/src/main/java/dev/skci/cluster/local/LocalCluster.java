package dev.skci.cluster.local;

import dev.skci.cluster.CertManagerProcesses;
import dev.skci.cluster.Cluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Optional;

/** A local cluster as {@link LocalProvider#up} returns it. Closing releases the client only. */
public final class LocalCluster implements Cluster {
    private final ClusterDir dir;
    private final KubernetesClient client;
    private final LocalCertManager certManager;
    private final boolean adopted;

    LocalCluster(ClusterDir dir, KubernetesClient client, LocalCertManager certManager, boolean adopted) {
        this.dir = dir;
        this.client = client;
        this.certManager = certManager;
        this.adopted = adopted;
    }

    @Override
    public String name() {
        return dir.name();
    }

    @Override
    public String provider() {
        return LocalProvider.NAME;
    }

    @Override
    public Path kubeconfig() {
        return dir.kubeconfig();
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    /** Every component binds to loopback, and so does the API server's view of this host. */
    @Override
    public String webhookHost() {
        return "127.0.0.1";
    }

    @Override
    public Optional<Path> logDir() {
        return Optional.of(dir.logs());
    }

    @Override
    public Optional<CertManagerProcesses> certManager() {
        return Optional.of(certManager);
    }

    /** The cluster's working directory (kubeconfig, logs, pid files, kwokctl state). */
    public Path workdir() {
        return dir.root();
    }

    /** True when {@code up} found this cluster already running and adopted it. */
    public boolean adopted() {
        return adopted;
    }

    @Override
    public void close() {
        client.close();
    }
}
