package dev.skci.run;

import static dev.skci.run.FaultClusterTest.assertCleanedUp;
import static dev.skci.run.FaultClusterTest.assertNextRunPasses;
import static dev.skci.run.FaultClusterTest.assertReports;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.cluster.SimNames;
import dev.skci.cluster.local.LocalCluster;
import dev.skci.testing.ClusterTest;
import dev.skci.testing.Faults;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slow faults of issue 9 (tag {@code fault}, on demand; about 15 minutes), each on the real local
 * cluster with its exit code, reports, verified cleanup and a passing next run:
 *
 * <pre>
 * scripts/test.sh -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dskci.it.groups=fault -Dskci.it.excludedGroups=none -Dit.test=FaultSoakClusterTest
 * </pre>
 */
@ClusterTest
@Tag("fault")
class FaultSoakClusterTest {

    private static Faults.Outcome killedMidRun(LocalCluster cluster, Path tmp, String component) throws Exception {
        Path trace = Faults.steadyTrace(tmp, 60);
        Faults.Outcome o = Faults.run(cluster, tmp, trace, Duration.ofSeconds(5), Faults.kill(cluster, component),
                Duration.ofMinutes(4), "--speed", "1", "--namespace-prefix", "kill-" + component.replace("cert-manager-", ""));
        assertEquals(3, o.exit(), o.toString());
        String last = o.log().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("skci: " + component + " exited ("), last);
        assertReports(o, 3);
        assertTrue(o.summary().get("errors").get(0).get("error").asText().startsWith(component + " exited"), o.toString());
        assertCleanedUp(cluster, o);
        assertNextRunPasses(cluster, tmp, trace);
        return o;
    }

    @Test
    void anApiStallOf150sEndsTheRunWithExit3AndCleanupFinishesWhenTheApiAnswersAgain(LocalCluster cluster, @TempDir Path tmp)
            throws Exception {
        Path trace = Faults.steadyTrace(tmp, 60);
        Faults.Outcome o = Faults.run(cluster, tmp, trace, Duration.ofSeconds(5),
                Faults.stall(cluster, "kube-apiserver", Duration.ofSeconds(150)), Duration.ofMinutes(4),
                "--speed", "1", "--namespace-prefix", "stall150");
        assertEquals(3, o.exit(), o.toString());
        String last = o.log().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("skci: the API server did not answer for 4"), "names the stall: " + last);
        assertReports(o, 3);
        assertCleanedUp(cluster, o);
        assertNextRunPasses(cluster, tmp, trace);
    }

    @Test
    void aKilledEtcdIsExit3AndRestartedForCleanup(LocalCluster cluster, @TempDir Path tmp) throws Exception {
        Faults.Outcome o = killedMidRun(cluster, tmp, "etcd");
        assertTrue(o.log().contains("etcd is not running; restarting for cleanup"), o.toString());
    }

    /** The garbage collector lives in kube-controller-manager: without a restart, the root could never be deleted. */
    @Test
    void aKilledControllerManagerIsExit3AndRestartedBecauseCleanupNeedsItsGarbageCollector(LocalCluster cluster,
            @TempDir Path tmp) throws Exception {
        Faults.Outcome o = killedMidRun(cluster, tmp, "kube-controller-manager");
        assertTrue(o.log().contains("kube-controller-manager is not running; restarting for cleanup"), o.toString());
    }

    @Test
    void aKilledKwokControllerIsExit3(LocalCluster cluster, @TempDir Path tmp) throws Exception {
        killedMidRun(cluster, tmp, "kwok-controller");
    }

    /** The CA is already injected and the serving certificate issued: no pod is refused while the run stops. */
    @Test
    void aKilledCainjectorIsExit3AndTheCertificateInUseStaysValid(LocalCluster cluster, @TempDir Path tmp) throws Exception {
        Faults.Outcome o = killedMidRun(cluster, tmp, "cert-manager-cainjector");
        Path bundle = Files.list(o.reports()).filter(f -> f.toString().endsWith("-diagnostics.tar.gz")).findFirst().orElseThrow();
        JsonNode requests = new ObjectMapper().readTree(entry(bundle, "webhook-requests.json"));
        assertTrue(requests.size() > 0, "the webhook served requests");
        for (JsonNode r : requests) {
            assertTrue(!r.path("decision").asText().equals("denied"), "no pod was refused: " + r);
        }
    }

    /** Reports that cannot be written after the run started: exit 3 naming the directory, and the cluster is still clean. */
    @Test
    void aReportDirectoryThatBecomesUnwritableIsExit3AndTheClusterIsStillCleanedUp(LocalCluster cluster, @TempDir Path tmp)
            throws Exception {
        Path trace = Faults.steadyTrace(tmp, 20);
        Path[] dir = new Path[1];
        Faults.Outcome o = Faults.run(cluster, tmp, trace, Duration.ofSeconds(2), () -> {
            // The directory the run checked at the start is replaced by a file: nothing can be written there any more.
            Path reports = Files.list(tmp).filter(p -> p.getFileName().toString().startsWith("reports-")).findFirst().orElseThrow();
            deleteTree(reports);
            Files.writeString(reports, "not a directory");
            dir[0] = reports;
        }, Duration.ofMinutes(3), "--speed", "1", "--namespace-prefix", "unwritable");
        assertEquals(3, o.exit(), o.toString());
        String last = o.log().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("skci: cannot write the reports into " + dir[0] + ": "), last);
        assertCleanedUp(cluster, o);
    }

    /**
     * KWOK's heartbeats stop for longer than kwokctl's node-monitor grace period (200 s): the controller
     * manager must not mark the virtual nodes unhealthy and evict the simulated pods (skci sets the grace
     * period to an hour for a simulation).
     */
    @Test
    void virtualNodesStayReadyWhenHeartbeatsStopLongerThanKwokctlsGracePeriod(LocalCluster cluster) throws Exception {
        long kwok = Faults.pid(cluster, "kwok-controller");
        Faults.signal(kwok, "STOP");
        try {
            Thread.sleep(Duration.ofSeconds(260).toMillis()); // past 200 s plus the 25 s monitor period
            List<Node> nodes = cluster.client().nodes().withLabel(SimNames.LABEL_NODE_TYPE, SimNames.NODE_TYPE_VIRTUAL).list().getItems();
            assertTrue(!nodes.isEmpty());
            for (Node n : nodes) {
                assertTrue(Readiness.isNodeReady(n), n.getMetadata().getName() + " is still Ready: " + n.getStatus().getConditions());
                boolean tainted = n.getSpec().getTaints() != null && n.getSpec().getTaints().stream()
                        .anyMatch(t -> t.getKey().startsWith("node.kubernetes.io/"));
                assertTrue(!tainted, n.getMetadata().getName() + " got no unreachable/not-ready taint: " + n.getSpec().getTaints());
            }
        } finally {
            Faults.signal(kwok, "CONT");
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static byte[] entry(Path bundle, String name) throws Exception {
        try (InputStream in = Files.newInputStream(bundle); var gz = new GzipCompressorInputStream(in);
                var tar = new TarArchiveInputStream(gz)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.getName().equals(name)) {
                    return tar.readAllBytes();
                }
            }
        }
        throw new AssertionError(name + " is not in " + bundle);
    }
}
