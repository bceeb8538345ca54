package dev.skci.cluster;

import dev.skci.SkciException;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A running simulation cluster as the runner sees it. Closing it releases the client; it does not tear down. */
public interface Cluster extends AutoCloseable {
    String name();

    /** The provider that booted or adopted it: {@code local}, {@code kind} or {@code existing}. */
    String provider();

    Path kubeconfig();

    /** A client for this cluster, shared and closed with it. */
    KubernetesClient client();

    /** The address at which the API server reaches a server the runner starts on this host. */
    String webhookHost();

    /** True when this process booted the cluster (so it is this process's to tear down), false when it adopted one. */
    boolean bootedHere();

    /** Waits for components the provider started beside the control plane; a no-op where there are none. */
    default void awaitComponents() {}

    /** Where to look for a component's log, for messages: a path on this host, or how to get it. */
    String logHint(String component);

    /** The component logs on this host (name in the diagnostics bundle to file); empty when there are none. */
    Map<String, Path> logFiles();

    /**
     * Moves this cluster's logs out of the way before a teardown, so a failed boot can still be diagnosed,
     * and says where they went; empty when the provider keeps no logs on this host.
     */
    default Optional<Path> keepLogs() {
        return Optional.empty();
    }

    /**
     * Runs kube-scheduler with this configuration (empty: its defaults) for the next simulation, restarting only the
     * scheduler and only when the configuration changes. A provider that does not run the scheduler refuses one
     * (invalid input: {@link ClusterProvider#check} finds that before any cluster work). Returns whether the
     * scheduler was restarted.
     */
    default boolean configureScheduler(java.util.Optional<SchedulerConfig> config) {
        if (config.isPresent()) {
            throw SkciException.invalidInput(ClusterProvider.cannotConfigureScheduler(provider()));
        }
        return false;
    }

    /** The release the API server reports, e.g. {@code v1.33.13}. */
    default String kubernetesVersion() {
        return client().getKubernetesVersion().getGitVersion();
    }

    /**
     * Every process the provider runs for this cluster, running or not, with its flags; empty where the
     * provider runs none on this host (existing). A run is stopped when one of them stops
     * ({@link ClusterWatch}).
     */
    default List<Component> components() {
        return List.of();
    }

    /**
     * The components the provider is stopping and starting on purpose right now (the local provider's
     * scheduler while {@link #configureScheduler} restarts it): {@link ClusterWatch} does not take them for dead.
     * A name is here from before the component stops until it runs again.
     */
    default java.util.Set<String> restarting() {
        return java.util.Set.of();
    }

    /**
     * Starts again every component that is not running and returns once they run (the API server
     * answering again, where it was one of them); returns the names of those restarted, empty when
     * there was nothing to restart or the provider cannot. Cleanup uses it: the garbage collector and
     * the namespace controller live in kube-controller-manager, and deletions wait for them.
     */
    default List<String> restartStopped() {
        return List.of();
    }

    /** Control over cert-manager when it runs as host processes (the local provider); empty otherwise. */
    Optional<CertManagerProcesses> certManager();

    /** Where skci can run components of its own beside this cluster (the autoscaler); empty when it cannot. */
    default Optional<HostComponents> hostComponents() {
        return Optional.empty();
    }

    @Override
    void close();

    /**
     * Waits for a provider's background start-up work (e.g. cert-manager started while Bootstrap ran) and
     * rethrows its own failure, not the CompletionException around it, so the exit code stays the failure's.
     */
    static void join(java.util.concurrent.CompletableFuture<?> startUp) {
        try {
            startUp.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }
}
