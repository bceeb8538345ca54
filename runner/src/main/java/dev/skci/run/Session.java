package dev.skci.run;

import dev.skci.cluster.Cluster;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.Clusters;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster a {@code skci run} works on: booted for the run (the embedded default) or adopted, and
 * made ready once ({@link Clusters#up}). Closing it tears the cluster down only if this run booted it
 * and the user did not ask to keep it.
 */
public final class Session implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final ClusterProvider provider;
    private final Cluster cluster;
    private final boolean keep;

    private Session(ClusterProvider provider, Cluster cluster, boolean keep) {
        this.provider = provider;
        this.cluster = cluster;
        this.keep = keep;
    }

    public static Session open(ClusterProvider provider, ClusterSpec spec, boolean keep, Consumer<String> progress) {
        return new Session(provider, Clusters.up(provider, spec, progress), keep);
    }

    public Cluster cluster() {
        return cluster;
    }

    /** Tears the cluster down if this run booted it, whatever --keep-cluster says: another one takes its name. */
    void replace() {
        cluster.close();
        if (cluster.bootedHere()) {
            provider.down(cluster.name());
        }
    }

    @Override
    public void close() {
        cluster.close();
        if (cluster.bootedHere() && !keep) {
            log.info("tearing down cluster '{}' (booted for this run; --keep-cluster keeps it)", cluster.name());
            provider.down(cluster.name());
        } else if (cluster.bootedHere()) {
            log.info("keeping cluster '{}'; remove it with 'skci cluster down --name {}'", cluster.name(), cluster.name());
        }
    }
}
