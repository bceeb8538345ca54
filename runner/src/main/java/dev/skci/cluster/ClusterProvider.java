package dev.skci.cluster;

import java.util.Optional;

/**
 * A way to get a simulation cluster, in the style of kind's providers: one implementation per folder
 * ({@code local/}, {@code existing/}, {@code kind/}), each registering itself through a
 * {@link ProviderFactory} (see {@link Providers}). A provider only boots, adopts and tears down. What
 * skci installs on every cluster (KWOK stages, virtual nodes, the decoy) is the same for all of them
 * and is done once, by {@link Clusters#up}, through {@link Bootstrap}.
 */
public interface ClusterProvider {
    /** {@code local}, {@code kind}, {@code existing}: the name users pass to {@code --provider}. */
    String name();

    /**
     * Boots the cluster, or adopts a running one of the same name, and returns once its API answers.
     * Components the provider runs beside the control plane (cert-manager on the local provider) may
     * still be starting; {@link Cluster#awaitComponents()} waits for them.
     */
    Cluster up(ClusterSpec spec);

    /** Stops everything this provider started for the named cluster and removes its state. Idempotent. */
    void down(String clusterName);

    /** What runs under this name, or empty when nothing does. */
    Optional<ClusterStatus> status(String clusterName);

    /**
     * What this kind of cluster's pod throughput on this machine depends on (for the local provider: the pinned
     * binaries and the control-plane settings), as the key of a measured capacity ({@code skci cluster calibrate},
     * the preflight); empty when skci cannot know it (a cluster someone else runs).
     */
    default Optional<String> capacityKey() {
        return Optional.empty();
    }
}
