package dev.skci.run;

import dev.skci.cluster.Bootstrap;
import dev.skci.cluster.Cluster;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.local.LocalCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster a {@code skci run} works on: booted for the run (the embedded default) or adopted, then
 * bootstrapped (stages, virtual nodes). Closing it tears the cluster down only if this session booted
 * it and the user did not ask to keep it.
 */
public final class Session implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final ClusterProvider provider;
    private final Cluster cluster;
    private final boolean booted;
    private final boolean keep;

    private Session(ClusterProvider provider, Cluster cluster, boolean booted, boolean keep) {
        this.provider = provider;
        this.cluster = cluster;
        this.booted = booted;
        this.keep = keep;
    }

    public static Session open(ClusterProvider provider, ClusterSpec spec, boolean keep) {
        Cluster cluster = provider.up(spec);
        boolean booted = cluster instanceof LocalCluster local && !local.adopted();
        Session s = new Session(provider, cluster, booted, keep);
        try {
            new Bootstrap(cluster.client()).run(spec);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    public Cluster cluster() {
        return cluster;
    }

    @Override
    public void close() {
        cluster.close();
        if (booted && !keep) {
            log.info("tearing down cluster '{}' (booted for this run; --keep-cluster keeps it)", cluster.name());
            provider.down(cluster.name());
        } else if (booted) {
            log.info("keeping cluster '{}'; remove it with 'skci cluster down --name {}'", cluster.name(), cluster.name());
        }
    }
}
