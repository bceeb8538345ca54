package dev.skci.cluster;

import dev.skci.SkciException;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Getting a cluster ready for simulations, whatever the provider, as kind creates one: the provider
 * boots or adopts it, then the actions every cluster needs run once: {@link Bootstrap} (KWOK stages,
 * virtual nodes, the decoy), then a wait for the provider's own components. A failure after a fresh
 * boot tears the cluster down again, keeping its logs where the provider can.
 */
public final class Clusters {
    private static final Logger LOG = LoggerFactory.getLogger(Clusters.class);

    private Clusters() {}

    /** @param progress gets one line when a cluster booted here is ready */
    public static Cluster up(ClusterProvider provider, ClusterSpec spec, Consumer<String> progress) {
        long start = System.nanoTime();
        Cluster cluster = provider.up(spec);
        try {
            new Bootstrap(cluster.client()).run(spec);
            cluster.configureScheduler(spec.scheduler());
            cluster.awaitComponents();
            if (cluster.bootedHere()) {
                progress.accept(String.format(Locale.ROOT, "cluster '%s' is ready after %.1fs", cluster.name(),
                        (System.nanoTime() - start) / 1e9));
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            if (!cluster.bootedHere()) {
                throw e;
            }
            String kept = cluster.keepLogs().map(p -> "; its logs are kept in " + p).orElse("");
            try {
                provider.down(cluster.name());
            } catch (RuntimeException downFailed) {
                LOG.warn("could not remove cluster '{}' after its failed boot: {}", cluster.name(), downFailed.getMessage());
                e.addSuppressed(downFailed);
            }
            if (e instanceof SkciException se && !kept.isEmpty()) {
                throw new SkciException(se.kind(), se.getMessage() + kept, se);
            }
            throw e;
        }
    }
}
