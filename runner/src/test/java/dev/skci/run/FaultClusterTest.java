package dev.skci.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skci.cluster.Component;
import dev.skci.cluster.local.LocalCluster;
import dev.skci.diagnostics.Diagnostics;
import dev.skci.testing.ClusterTest;
import dev.skci.testing.Faults;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two faults of the default suite (issue 9), on the real local cluster: an API stall shorter than
 * the run's tolerance is ridden out, and a control-plane component that dies stops the run with exit 3.
 * Each asserts the exit code, the reports, that cleanup left nothing, and that the next run on the same
 * cluster passes. The slow ones are in {@link FaultSoakClusterTest} (tag {@code fault}).
 */
@ClusterTest
class FaultClusterTest {

    static void assertReports(Faults.Outcome o, int exit) throws Exception {
        assertTrue(Files.isRegularFile(o.reports().resolve("junit.xml")), "junit.xml\n" + o);
        JsonNode s = o.summary();
        assertEquals(exit, s.get("exitCode").asInt(), o.toString());
    }

    static void assertCleanedUp(LocalCluster cluster, Faults.Outcome o) {
        assertTrue(o.runName() != null, o.toString());
        assertEquals(List.of(), Cleanup.verify(cluster.client(), o.runName()), o.toString());
    }

    /** The next run on the same cluster passes (after a component death: once skci restarted it). */
    static void assertNextRunPasses(LocalCluster cluster, Path tmp, Path trace) throws Exception {
        Faults.Outcome next = Faults.run(cluster, tmp, trace, "--speed", "10", "--namespace-prefix", "next");
        assertEquals(0, next.exit(), "the next run on the same cluster: " + next);
        assertCleanedUp(cluster, next);
        for (Component c : cluster.components()) {
            assertTrue(c.running(), c.name() + " runs again");
        }
    }

    @Test
    void anApiStallOf20sIsRiddenOutAndShowsAsLateness(LocalCluster cluster, @TempDir Path tmp) throws Exception {
        Path trace = Faults.steadyTrace(tmp, 40);
        Faults.Outcome o = Faults.run(cluster, tmp, trace, Duration.ofSeconds(8),
                Faults.stall(cluster, "kube-apiserver", Duration.ofSeconds(20)), Duration.ofMinutes(4),
                "--speed", "1", "--namespace-prefix", "stall20");
        assertEquals(0, o.exit(), "a stall shorter than --api-stall-timeout is survived: " + o);
        assertReports(o, 0);
        JsonNode sim = o.summary().get("simulations").get(0);
        assertTrue(sim.get("latenessMaxMs").asDouble() >= 10_000, "the events due during the stall were late by it: " + sim);
        assertTrue(sim.get("cleanupComplete").asBoolean(), sim.toString());
        assertCleanedUp(cluster, o);
        // No lease to lose: the controller manager and scheduler lived through it (postmortem lesson 1, generalised).
        for (Component c : cluster.components()) {
            assertTrue(c.running(), c.name() + " survived the stall");
        }
        assertNextRunPasses(cluster, tmp, trace);
    }

    @Test
    void aKilledSchedulerStopsTheRunWithExit3AndItsLogAndCleanupStillFinishes(LocalCluster cluster, @TempDir Path tmp)
            throws Exception {
        Path trace = Faults.steadyTrace(tmp, 40);
        Faults.Outcome o = Faults.run(cluster, tmp, trace, Duration.ofSeconds(5), Faults.kill(cluster, "kube-scheduler"),
                Duration.ofMinutes(3), "--speed", "1", "--namespace-prefix", "schedkill");
        assertEquals(3, o.exit(), o.toString());
        assertTrue(o.exitAfterFault().compareTo(Duration.ofSeconds(60)) < 0, "stopped at once, not at the end of the trace: "
                + o.exitAfterFault());
        String last = o.log().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("skci: kube-scheduler exited ("), "one line naming the component: " + last);
        assertTrue(last.contains("kube-scheduler.log ends: "), "and the end of its log: " + last);
        assertTrue(o.log().contains("kube-scheduler is not running; restarting for cleanup"), o.toString());
        assertReports(o, 3);
        JsonNode errors = o.summary().get("errors");
        assertTrue(errors.get(0).get("error").asText().startsWith("kube-scheduler exited"), errors.toString());
        String junit = Files.readString(o.reports().resolve("junit.xml"));
        assertTrue(junit.contains("kube-scheduler exited"), junit);
        Path bundle = Files.list(o.reports()).filter(f -> f.toString().endsWith("-diagnostics.tar.gz")).findFirst().orElseThrow();
        assertTrue(Diagnostics.entries(bundle).contains("components.txt"), "the diagnostics show each component's flags");
        assertCleanedUp(cluster, o);
        assertNextRunPasses(cluster, tmp, trace);
    }

    /** Leader election off, and an hour before a node without heartbeats counts as unhealthy: the flags the processes run with. */
    @Test
    void theControlPlaneRunsWithoutLeaderElectionAndTheStatusShowsItsFlags(LocalCluster cluster) throws Exception {
        java.util.Map<String, List<String>> flags = new java.util.HashMap<>();
        cluster.components().forEach(c -> flags.put(c.name(), c.flags()));
        for (String c : List.of("kube-controller-manager", "kube-scheduler", "cert-manager-controller", "cert-manager-cainjector")) {
            assertTrue(flags.get(c).contains("--leader-elect=false"), c + ": " + flags.get(c));
        }
        List<String> kcm = flags.get("kube-controller-manager");
        assertEquals("--node-monitor-grace-period=1h", kcm.stream().filter(f -> f.startsWith("--node-monitor-grace-period="))
                .reduce((a, b) -> b).orElseThrow(), "the last one wins: " + kcm);
        dev.skci.testing.ChildJvm.Result status = dev.skci.testing.ChildJvm.skci(java.util.Map.of(), 120,
                "cluster", "status", "--name", cluster.name(), "--json");
        assertEquals(0, status.exit(), status.toString());
        JsonNode processes = new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.out()).get("processes");
        boolean shown = false;
        for (JsonNode p : processes) {
            if (p.get("name").asText().equals("kube-scheduler")) {
                shown = p.get("running").asBoolean() && p.get("flags").toString().contains("--leader-elect=false");
            }
        }
        assertTrue(shown, processes.toString());
    }

    /** A paused API server is a live cluster under load, not a stale one: up waits, then adopts; never rebuilds it. */
    @Test
    void clusterUpWaitsForAPausedApiServerInsteadOfRebuildingTheCluster(LocalCluster cluster) throws Exception {
        String bootedAt = java.nio.file.Files.readString(cluster.workdir().resolve("cluster.json"));
        long apiServer = Faults.pid(cluster, "kube-apiserver");
        Faults.signal(apiServer, "STOP");
        Thread resume = new Thread(() -> {
            try {
                Thread.sleep(20_000); // long enough for the child JVM to reach its probe on a loaded machine, within up's 30 s
                Faults.signal(apiServer, "CONT");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        resume.start();
        dev.skci.testing.ChildJvm.Result up;
        try {
            up = dev.skci.testing.ChildJvm.skci(java.util.Map.of(), 180,
                    "cluster", "up", "--name", cluster.name(), "--nodes", Integer.toString(dev.skci.testing.SharedCluster.NODES));
        } finally {
            resume.join();
            Faults.signal(apiServer, "CONT");
        }
        assertEquals(0, up.exit(), up.toString());
        assertTrue(up.err().contains("runs but its API server does not answer yet"), up.err());
        assertTrue(up.err().contains("already running; adopting it"), "adopted, not rebuilt: " + up.err());
        assertEquals(apiServer, Faults.pid(cluster, "kube-apiserver"), "the same API server process");
        assertTrue(java.nio.file.Files.readString(cluster.workdir().resolve("cluster.json"))
                .contains(new com.fasterxml.jackson.databind.ObjectMapper().readTree(bootedAt).get("bootedAt").asText()), "boot time kept");
    }

    @Test
    void clusterUpRestartsADeadComponentAndSaysWhich(LocalCluster cluster) throws Exception {
        Faults.signal(Faults.pid(cluster, "kube-scheduler"), "KILL");
        dev.skci.testing.Poll.until(Duration.ofSeconds(30), "the scheduler to be gone",
                () -> cluster.components().stream().anyMatch(c -> c.name().equals("kube-scheduler") && !c.running()));
        dev.skci.testing.ChildJvm.Result up = dev.skci.testing.ChildJvm.skci(java.util.Map.of(), 180,
                "cluster", "up", "--name", cluster.name(), "--nodes", Integer.toString(dev.skci.testing.SharedCluster.NODES));
        assertEquals(0, up.exit(), up.toString());
        assertTrue(up.err().contains("cluster '" + cluster.name() + "': kube-scheduler is not running; restarting it"), up.err());
        assertTrue(up.err().contains("cluster '" + cluster.name() + "': restarted kube-scheduler"), up.err());
        assertTrue(up.err().contains("already running; adopting it"), "repaired, not rebuilt: " + up.err());
        for (Component c : cluster.components()) {
            assertTrue(c.running(), c.name() + " runs");
        }
    }
}
