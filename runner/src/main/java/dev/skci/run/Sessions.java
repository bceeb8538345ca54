package dev.skci.run;

import dev.skci.cluster.Cluster;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterShape;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.KubernetesVersions;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The clusters of one job, one at a time: booted (or adopted) for the first simulation, and replaced when a
 * simulation asks for another Kubernetes version than the one running ({@code cluster.kubernetesVersion}). A
 * cluster this job booted is torn down to make way for the next version even with {@code --keep-cluster}, which
 * keeps the last one. Pools and the scheduler are not reasons to replace a cluster: each simulation's first step
 * sets them.
 */
final class Sessions implements AutoCloseable {
    private final ClusterProvider provider;
    private final ClusterSpec spec;
    private final boolean keep;
    private final Consumer<String> progress;
    private Session current;
    private String runningVersion;

    Sessions(ClusterProvider provider, ClusterSpec spec, boolean keep, Consumer<String> progress) {
        this.provider = provider;
        this.spec = spec;
        this.keep = keep;
        this.progress = progress;
    }

    /** The cluster for a simulation that asks this of it. */
    Cluster cluster(ClusterShape shape) {
        Optional<String> wanted = shape.kubernetesVersion();
        if (current != null && wanted.isPresent() && !KubernetesVersions.matches(wanted.get(), runningVersion)) {
            progress.accept("the next simulation asks for Kubernetes " + wanted.get() + "; cluster '" + spec.name() + "' runs "
                    + runningVersion + (current.cluster().bootedHere() ? ", so it is replaced" : ""));
            Session old = current;
            current = null;
            old.replace();
        }
        if (current == null) {
            current = Session.open(provider, spec.withKubernetesVersion(wanted.or(spec::kubernetesVersion)), keep, progress);
            runningVersion = current.cluster().kubernetesVersion();
        }
        return current.cluster();
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
        }
    }
}
