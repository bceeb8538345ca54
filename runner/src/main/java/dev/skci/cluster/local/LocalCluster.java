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
    /** One per cluster object, so what a simulation starts beside the cluster (Karpenter) is supervised with it. */
    private final LocalHostComponents hostComponents;
    private final boolean adopted;
    private final CompletableFuture<Void> certManagerUp;
    private final Kwokctl kwokctl;
    private final LocalComponents components;
    private final java.util.Set<String> restarting = java.util.concurrent.ConcurrentHashMap.newKeySet();

    LocalCluster(ClusterDir dir, KubernetesClient client, LocalCertManager certManager, boolean adopted,
            CompletableFuture<Void> certManagerUp, Kwokctl kwokctl, LocalComponents components) {
        this.dir = dir;
        this.client = client;
        this.certManager = certManager;
        this.adopted = adopted;
        this.certManagerUp = certManagerUp;
        this.kwokctl = kwokctl;
        this.components = components;
        this.hostComponents = new LocalHostComponents(dir);
    }

    /** The scheduler runs from a file skci writes; a change restarts it alone (LocalScheduler). */
    @Override
    public synchronized boolean configureScheduler(Optional<dev.skci.cluster.SchedulerConfig> config) {
        // Marked before the scheduler is stopped and cleared once it runs again (or the restart failed, which
        // is this call's error to report), so that the run's ClusterWatch does not stop the run for it.
        restarting.add(LocalScheduler.COMPONENT);
        try {
            return LocalScheduler.apply(dir, kwokctl, config);
        } finally {
            restarting.remove(LocalScheduler.COMPONENT);
        }
    }

    @Override
    public java.util.Set<String> restarting() {
        return java.util.Set.copyOf(restarting);
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
        List<Component> all = new java.util.ArrayList<>(components.list());
        all.addAll(hostComponents.supervised());
        return all;
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
        return Optional.of(hostComponents);
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
