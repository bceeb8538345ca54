package dev.skci.cluster;

import java.util.Optional;

/**
 * A way to get a simulation cluster. One implementation per folder ({@code local}, {@code existing},
 * {@code kind}), like kind's providers. Providers only boot and tear down; what skci installs on a
 * cluster (stages, nodes, CRDs) is the same for every provider and lives in {@link Bootstrap}.
 */
public interface ClusterProvider {
    /** {@code local}, {@code kind} or {@code existing}. */
    String name();

    /** Boots the cluster (or adopts a running one of the same name) and returns once its API answers. */
    Cluster up(ClusterSpec spec);

    /** Stops everything this provider started for the named cluster and removes its state. Idempotent. */
    void down(String clusterName);

    /** What runs under this name, or empty when nothing does. */
    Optional<ClusterStatus> status(String clusterName);
}
