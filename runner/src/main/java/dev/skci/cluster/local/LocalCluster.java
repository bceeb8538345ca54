package dev.skci.cluster.local;

import dev.skci.cluster.CertManagerProcesses;
import dev.skci.cluster.Cluster;
import dev.skci.cluster.Component;
import dev.skci.cluster.HostComponents;
import dev.skci.cluster.LogDirs;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A local cluster as {@link LocalProvider#up} returns it. Closing releases the client only. */
public final class LocalCluster implements Cluster {
    private final ClusterDir dir;
    private final KubernetesClient client;
    private final LocalCertManager certManager;
    private final boolean adopted;
    private final CompletableFuture<Void> certManagerUp;
    private final LocalComponents components;

    LocalCluster(ClusterDir dir, KubernetesClient client, LocalCertManager certManager, boolean adopted,
            CompletableFuture<Void> certManagerUp, LocalComponents components) {
        this.dir = dir;
        this.client = client;
        this.certManager = certManager;
        this.adopted = adopted;
        this.certManagerUp = certManagerUp;
        this.components = components;
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
    public boolean bootedHere() {
        return !adopted;
    }

    /** cert-manager's controller and cainjector, started by {@code up} while skci's nodes were installed. */
    @Override
    public void awaitComponents() {
        Cluster.join(certManagerUp);
    }

    @Override
    public String logHint(String component) {
        return dir.logs().resolve(component).toString();
    }

    /** cert-manager's and kwokctl's logs, and the control plane's (through the {@code control-plane} link). */
    @Override
    public Map<String, Path> logFiles() {
        return LogDirs.files(dir.logs());
    }

    @Override
    public Optional<Path> keepLogs() {
        return dir.keepLogs();
    }

    /** etcd, the API server, controller manager, scheduler, KWOK controller, cert-manager's controller and cainjector. */
    @Override
    public List<Component> components() {
        return components.list();
    }

    /** Through {@code kwokctl start cluster} for the control plane, as skci starts cert-manager for the rest. */
    @Override
    public List<String> restartStopped() {
        return components.restartStopped(client);
    }

    @Override
    public Optional<CertManagerProcesses> certManager() {
        return Optional.of(certManager);
    }

    @Override
    public Optional<HostComponents> hostComponents() {
        return Optional.of(new LocalHostComponents(dir));
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
