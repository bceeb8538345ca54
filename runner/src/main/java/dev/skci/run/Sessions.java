package dev.skci.run;

import dev.skci.cluster.Cluster;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterShape;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.ClusterWatch;
import dev.skci.cluster.KubernetesVersions;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The clusters of one job, one at a time: booted (or adopted) for the first simulation, and replaced when a
 * simulation asks for another Kubernetes version than the one running ({@code cluster.kubernetesVersion}). A
 * cluster this job booted is torn down to make way for the next version even with {@code --keep-cluster}, which
 * keeps the last one. Pools and the scheduler are not reasons to replace a cluster: each simulation's first step
 * sets them.
 *
 * <p>Each cluster is watched while it is the current one ({@link ClusterWatch}, started by {@code watch}); the watch
 * is closed before its cluster is torn down, so a replacement is not taken for components that died.
 */
final class Sessions implements AutoCloseable {
    private final ClusterProvider provider;
    private final ClusterSpec spec;
    private final boolean keep;
    private final Consumer<String> progress;
    private final Function<Cluster, ClusterWatch> watch;
    private Session current;
    private ClusterWatch watching;
    private String runningVersion;

    Sessions(ClusterProvider provider, ClusterSpec spec, boolean keep, Consumer<String> progress, Function<Cluster, ClusterWatch> watch) {
        this.provider = provider;
        this.spec = spec;
        this.keep = keep;
        this.progress = progress;
        this.watch = watch;
    }

    /** The cluster for a simulation that asks this of it. */
    Cluster cluster(ClusterShape shape) {
        Optional<String> wanted = shape.kubernetesVersion();
        if (current != null && wanted.isPresent() && !KubernetesVersions.matches(wanted.get(), runningVersion)) {
            progress.accept("the next simulation asks for Kubernetes " + wanted.get() + "; cluster '" + spec.name() + "' runs "
                    + runningVersion + (current.cluster().bootedHere() ? ", so it is replaced" : ""));
            Session old = current;
            current = null;
            stopWatching();
            old.replace();
        }
        if (current == null) {
            current = Session.open(provider, spec.withKubernetesVersion(wanted.or(spec::kubernetesVersion)), keep, progress);
            runningVersion = current.cluster().kubernetesVersion();
            watching = watch.apply(current.cluster());
        }
        return current.cluster();
    }

    private void stopWatching() {
        if (watching != null) {
            watching.close();
            watching = null;
        }
    }

    @Override
    public void close() {
        stopWatching();
        if (current != null) {
            current.close();
        }
    }
}
