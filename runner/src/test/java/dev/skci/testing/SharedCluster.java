package dev.skci.testing;

import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.local.ClusterDir;
import dev.skci.cluster.local.LocalCluster;
import dev.skci.cluster.local.LocalProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The one local cluster of a test JVM, booted on first use and torn down when the test plan ends (the
 * root extension store closes it) or, failing that, when the JVM exits (shutdown hook). Named after the
 * JVM's pid so that test JVMs running side by side on one machine do not share or stop each other's
 * clusters; clusters of test JVMs that died without tearing down are removed at the next boot.
 */
public final class SharedCluster implements AutoCloseable {
    static final String NAME_PREFIX = "test-";
    public static final ClusterSpec.NodeShape SHAPE = ClusterSpec.NodeShape.DEFAULT;
    public static final int NODES = 3;

    private final LocalProvider provider;
    private final LocalCluster cluster;
    private final Thread shutdownHook;
    private boolean closed;

    private SharedCluster(LocalProvider provider, LocalCluster cluster) {
        this.provider = provider;
        this.cluster = cluster;
        this.shutdownHook = new Thread(this::down, "skci-test-cluster-down");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static SharedCluster boot() {
        TestBinaries.ensure();
        LocalProvider provider = new LocalProvider(dev.skci.cluster.local.BinarySet.pinned(), LocalProvider.Options.DEFAULT,
                line -> System.err.println("[skci tests] " + line));
        removeOrphans(provider);
        String name = NAME_PREFIX + ProcessHandle.current().pid();
        long t0 = System.nanoTime();
        LocalCluster cluster = (LocalCluster) dev.skci.cluster.Clusters.up(provider, new ClusterSpec(name, NODES, SHAPE),
                line -> System.err.println("[skci tests] " + line));
        System.err.printf("[skci tests] shared cluster %s ready in %.1fs (%s)%n", name, (System.nanoTime() - t0) / 1e9,
                cluster.workdir());
        return new SharedCluster(provider, cluster);
    }

    public LocalCluster cluster() {
        return cluster;
    }

    public ClusterSpec spec() {
        return new ClusterSpec(cluster.name(), NODES, SHAPE);
    }

    @Override
    public void close() {
        down();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    private synchronized void down() {
        if (closed) {
            return;
        }
        closed = true;
        cluster.close();
        provider.down(cluster.name());
    }

    /** Test clusters whose JVM is gone. */
    private static void removeOrphans(LocalProvider provider) {
        Path root = ClusterDir.clustersRoot();
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                String name = d.getFileName().toString();
                if (!name.startsWith(NAME_PREFIX) || !Files.isDirectory(d)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(name.substring(NAME_PREFIX.length()));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                System.err.println("[skci tests] removing cluster " + name + " left by a test JVM that is gone");
                provider.down(name);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
