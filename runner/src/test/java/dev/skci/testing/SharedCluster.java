package dev.skci.testing;

import dev.skci.cluster.Cluster;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.Clusters;
import dev.skci.cluster.kind.KindTestClusters;
import dev.skci.cluster.local.ClusterDir;
import dev.skci.cluster.local.LocalCluster;
import dev.skci.cluster.local.LocalProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The one cluster of a test JVM, booted on first use and torn down when the test plan ends (the root
 * extension store closes it) or, failing that, when the JVM exits (shutdown hook). Named after the JVM's
 * pid so that test JVMs running side by side on one machine do not share or stop each other's clusters;
 * clusters of test JVMs that died without tearing down are removed at the next boot.
 *
 * <p>Which provider boots it is {@link TestProvider#current()}: a local cluster {@code test-<pid>} by
 * default, a kind cluster {@code skci-kind-it-<pid>} in the kind stage ({@code -Dskci.test.provider=kind}).
 */
public final class SharedCluster implements AutoCloseable {
    static final String NAME_PREFIX = "test-";
    static final String KIND_NAME_PREFIX = "skci-kind-it-";
    public static final ClusterSpec.NodeShape SHAPE = ClusterSpec.NodeShape.DEFAULT;
    public static final int NODES = 3;

    private final ClusterProvider provider;
    private final Cluster cluster;
    private final Thread shutdownHook;
    private boolean closed;

    private SharedCluster(ClusterProvider provider, Cluster cluster) {
        this.provider = provider;
        this.cluster = cluster;
        this.shutdownHook = new Thread(this::down, "skci-test-cluster-down");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static SharedCluster boot() {
        Consumer<String> progress = line -> System.err.println("[skci tests] " + line);
        TestProvider which = TestProvider.current();
        ClusterProvider provider;
        String name;
        if (which == TestProvider.KIND) {
            provider = KindTestClusters.provider(progress);
            KindTestClusters.removeOrphans(KIND_NAME_PREFIX, progress);
            name = KIND_NAME_PREFIX + ProcessHandle.current().pid();
        } else {
            TestBinaries.ensure();
            LocalProvider local = new LocalProvider(dev.skci.cluster.local.BinarySet.pinned(), LocalProvider.Options.DEFAULT, progress);
            removeOrphans(local);
            provider = local;
            name = NAME_PREFIX + ProcessHandle.current().pid();
        }
        long t0 = System.nanoTime();
        Cluster cluster = Clusters.up(provider, new ClusterSpec(name, NODES, SHAPE), progress);
        System.err.printf("[skci tests] shared %s cluster %s ready in %.1fs (%s)%n", provider.name(), name,
                (System.nanoTime() - t0) / 1e9, cluster.kubeconfig());
        return new SharedCluster(provider, cluster);
    }

    public Cluster cluster() {
        return cluster;
    }

    /** The cluster as the local provider's, for tests of local-only behaviour (host processes, its directory). */
    public LocalCluster local() {
        if (cluster instanceof LocalCluster l) {
            return l;
        }
        throw new IllegalStateException("this test needs the local provider's cluster, and this test JVM runs on "
                + cluster.provider() + " (-D" + TestProvider.PROPERTY + ")");
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

    /** Local test clusters whose JVM is gone. */
    private static void removeOrphans(LocalProvider provider) {
        Path root = ClusterDir.clustersRoot();
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                String name = d.getFileName().toString();
                if (!name.startsWith(NAME_PREFIX) || !Files.isDirectory(d) || !deadPid(name, NAME_PREFIX)) {
                    continue;
                }
                System.err.println("[skci tests] removing cluster " + name + " left by a test JVM that is gone");
                provider.down(name);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** True when {@code name} is {@code prefix<pid>} and that process no longer runs. */
    public static boolean deadPid(String name, String prefix) {
        if (!name.startsWith(prefix)) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(name.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return false;
        }
        return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
