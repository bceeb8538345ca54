package dev.skci.cluster.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.cluster.Bootstrap;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.ClusterStatus;
import dev.skci.testing.ChildJvm;
import dev.skci.testing.TestBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Boots, adopts, recovers and removes clusters of its own (not the shared test cluster), and checks
 * /proc itself, independently of the provider's bookkeeping, that nothing of a cluster survives down.
 */
@Tag("cluster")
class ClusterLifecycleTest {
    private static final String PREFIX = "lc-" + ProcessHandle.current().pid() + "-";
    private final List<String> started = new ArrayList<>();
    private LocalProvider provider;

    @BeforeAll
    static void binaries() {
        TestBinaries.ensure();
    }

    @AfterEach
    void cleanUp() {
        for (String name : started) {
            provider.down(name);
        }
    }

    @Test
    void secondUpAdoptsAndDownLeavesNoProcessAndNoDirectory() {
        provider = provider();
        String name = name("adopt");
        Path workdir;
        try (LocalCluster first = up(name)) {
            workdir = first.workdir();
            assertFalse(first.adopted());
            List<Long> pids = processesNaming(workdir);
            assertTrue(pids.size() >= 7, "expected etcd, apiserver, controller-manager, scheduler, kwok and two cert-manager processes: " + pids);

            try (LocalCluster second = up(name)) {
                assertTrue(second.adopted(), "a healthy cluster of the same name is adopted, not rebooted");
                assertEquals(first.kubeconfig(), second.kubeconfig());
                assertEquals(pids, processesNaming(workdir), "adopting starts nothing new");
            }
        }

        provider.down(name);

        assertEquals(List.of(), processesNaming(workdir), "processes survived 'down'");
        assertFalse(Files.exists(workdir), workdir + " still exists");
        assertTrue(provider.status(name).isEmpty());
    }

    @Test
    void aDirectoryLeftByAKilledRunIsRecoveredOnTheNextUp() throws Exception {
        provider = provider();
        String name = name("stale");
        Path workdir;
        try (LocalCluster c = up(name)) {
            workdir = c.workdir();
        }
        // The machine "crashes": every process of the cluster dies at once, the directory stays.
        for (long pid : processesNaming(workdir)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        dev.skci.testing.Poll.until(java.time.Duration.ofSeconds(10), "the killed processes to exit",
                () -> processesNaming(workdir).isEmpty());
        ClusterStatus stale = provider.status(name).orElseThrow();
        assertFalse(stale.healthy());
        assertFalse(stale.apiReachable());

        try (LocalCluster again = up(name)) {
            assertFalse(again.adopted(), "a dead cluster must be rebuilt, not adopted");
            assertEquals(4, again.client().nodes().list().getItems().stream().filter(io.fabric8.kubernetes.client.readiness.Readiness::isNodeReady).count());
        }
        assertTrue(provider.status(name).orElseThrow().healthy());
        // The dead cluster's logs are kept for diagnosis.
        try (var kept = java.nio.file.Files.list(ClusterDir.clustersRoot().resolve(".stale"))) {
            Path logs = kept.filter(p -> p.getFileName().toString().startsWith(name + "-")).findFirst().orElseThrow();
            assertTrue(java.nio.file.Files.exists(logs.resolve("cert-manager-controller.log")), "kept: " + logs);
        }
    }

    @Test
    void downFromAnotherProcessStopsWhatACrashedRunnerLeftBehind() {
        provider = provider();
        String name = name("orphan");
        // A separate JVM boots the cluster and goes away, leaving cert-manager and the control plane
        // running with no parent that knows about them: only the pid files and /proc remain.
        ChildJvm.Result r = ChildJvm.skci(Map.of(), 180, "cluster", "up", "--name", name, "--nodes", "1");
        assertEquals(0, r.exit(), r.err());
        Path workdir = Path.of(r.out().strip()).getParent();
        assertTrue(processesNaming(workdir).size() >= 7);

        provider.down(name);

        assertEquals(List.of(), processesNaming(workdir));
        assertFalse(Files.exists(workdir));
    }

    /** As every command does: the provider boots or adopts, then skci's stages and nodes, then cert-manager is awaited. */
    private LocalCluster up(String name) {
        return (LocalCluster) dev.skci.cluster.Clusters.up(provider, spec(name), line -> System.err.println("[skci tests] " + line));
    }

    private static LocalProvider provider() {
        return new LocalProvider(BinarySet.pinned(), LocalProvider.Options.DEFAULT, line -> System.err.println("[skci tests] " + line));
    }

    private String name(String what) {
        String name = PREFIX + what;
        started.add(name);
        return name;
    }

    private static ClusterSpec spec(String name) {
        return new ClusterSpec(name, 3, ClusterSpec.NodeShape.DEFAULT);
    }

    /** Every process whose command line mentions {@code dir}, read straight from /proc. */
    static List<Long> processesNaming(Path dir) {
        String needle = dir.toString();
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path p : entries.toList()) {
                String n = p.getFileName().toString();
                if (!n.matches("\\d+")) {
                    continue;
                }
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmdline.contains(needle)) {
                        pids.add(Long.parseLong(n));
                    }
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        pids.sort(null);
        return pids;
    }
}
