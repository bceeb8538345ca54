package dev.skci.cluster.kind;

import dev.skci.SkciException;
import dev.skci.cluster.Cluster;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.ClusterStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The AMI's provider (docs/design.md, "Providers"): a kind cluster with KWOK and cert-manager inside. Not built yet; it
 * needs a Docker engine, which the machines this runner is developed on do not have. Every operation
 * says so in one line and points at the providers that work without Docker.
 */
public final class KindProvider implements ClusterProvider {
    public static final String NAME = "kind";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Cluster up(ClusterSpec spec) {
        throw unavailable();
    }

    @Override
    public void down(String clusterName) {
        throw unavailable();
    }

    @Override
    public Optional<ClusterStatus> status(String clusterName) {
        throw unavailable();
    }

    private static SkciException unavailable() {
        boolean docker = Files.exists(Path.of("/var/run/docker.sock"));
        return SkciException.environment("the kind provider is not available in this build"
                + (docker ? "" : " (and it needs a Docker engine; none found at /var/run/docker.sock)")
                + "; use --provider local (no Docker needed) or --provider existing --kubeconfig <file>");
    }
}
