package dev.skci.cluster;

import dev.skci.SkciException;
import java.util.List;
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

    /**
     * Checks, before any cluster work, that this provider can honour what the simulations ask of the cluster, and
     * prepares what that needs (the local provider builds the binaries of another Kubernetes version and validates
     * scheduler configurations with kube-scheduler itself). Throws invalid input (exit 2) naming what it cannot
     * honour. The default honours node pools only.
     */
    default void check(List<ClusterShape> shapes) {
        for (ClusterShape s : shapes) {
            if (s.scheduler().isPresent()) {
                throw SkciException.invalidInput(s.scheduler().get() + ": " + cannotConfigureScheduler(name()));
            }
        }
    }

    /** The Kubernetes release a cluster this provider boots runs unless asked otherwise; empty when it does not boot one. */
    default Optional<String> defaultKubernetesVersion() {
        return Optional.empty();
    }

    /** The message for a scheduler configuration a provider cannot honour. */
    static String cannotConfigureScheduler(String provider) {
        return "--provider " + provider + " cannot honour cluster.scheduler.config: skci does not run that cluster's scheduler "
                + "(the local provider does); use --provider local, or remove the key";
    }

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
