package dev.skci.run;

import dev.skci.result.SimulationResult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.wait.Deadline;
import dev.skci.TestData;
import dev.skci.cluster.Cluster;
import dev.skci.cluster.NodePool;
import dev.skci.observe.PodRecord;
import dev.skci.observe.Violation;
import dev.skci.replay.ReplayPlan;
import dev.skci.testing.ClusterTest;
import dev.skci.testing.OnKind;
import dev.skci.readiness.WebhookProbe;
import dev.skci.testing.Poll;
import dev.skci.trace.codec.TraceFile;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Replays on the real local control plane with real KWOK (issue 4's end-to-end cases); the {@link OnKind} ones on kind too. */
@ClusterTest
class ReplayClusterTest {

    private static SimulationResult replay(Cluster cluster, Path trace, double speed, String prefix,
            SimulationRun.Hooks hooks) throws InterruptedException {
        TraceFile f = TraceFile.open(trace);
        SimulationRun.Options o = SimulationRun.Options.defaults().withSpeed(speed).withNamespacePrefix(prefix)
                .withReportDir(Path.of(System.getProperty("java.io.tmpdir"), "skci-test-reports"));
        return new SimulationRun(cluster, o, hooks).run(f, ReplayPlan.scan(f, Optional.empty()), Deadline.after(Duration.ofMinutes(5)));
    }

    private static double seconds(java.time.Instant a, java.time.Instant b) {
        return Duration.between(a, b).toMillis() / 1000.0;
    }

    private static void assertNothingLeft(KubernetesClient client, SimulationResult r) {
        assertTrue(r.harness().cleanup().complete(), "cleanup: " + r.harness().cleanup().leftovers());
        assertEquals(List.of(), Cleanup.verify(client, r.runName()));
    }

    @Test
    @OnKind
    void sharedCronJobTraceRunsThreeJobPodsOfThreeSecondsAtSpeed10(Cluster cluster) throws Exception {
        SimulationResult r = replay(cluster, TestData.sharedTrace("cronjob.sktrace"), 10, "cron", SimulationRun.Hooks.NONE);
        assertTrue(r.verdict().passed(), "reasons: " + r.verdict().reasons());
        assertEquals(3, r.replay().stats().jobsCreated(), "one Job per cron minute inside the 205 s of trace");
        assertEquals(3, r.pods().records().size(), "pods: " + r.pods().records());
        for (PodRecord p : r.pods().records()) {
            assertEquals("Succeeded", p.phase(), p.toString());
            assertTrue(p.node().startsWith(NodePool.VIRTUAL_NODE_PREFIX), "on a virtual node: " + p);
            double ran = seconds(p.running(), p.finished());
            assertTrue(ran >= 2.5 && ran <= 5.0, "30 s at speed 10 is 3 s; ran " + ran + " s: " + p);
        }
        assertEquals(3, r.admission().completing());
        assertNothingLeft(cluster.client(), r);
    }

    @Test
    @OnKind
    void barePodsStartOnlyWhatTheTraceWindowHolds(Cluster cluster) throws Exception {
        SimulationResult r = replay(cluster, TestData.projectTrace("bare-pods.sktrace"), 10, "bare", SimulationRun.Hooks.NONE);
        assertTrue(r.verdict().passed(), "reasons: " + r.verdict().reasons());
        Map<String, PodRecord> pods = r.pods().records().stream().collect(Collectors.toMap(PodRecord::name, p -> p));
        assertFalse(pods.containsKey("pod-done"), "finished before the window: never started again");
        assertEquals(Map.of("Pod", 1), r.replay().stats().skippedByKind());
        PodRecord early = pods.get("pod-early");
        assertEquals("Succeeded", early.phase());
        double earlyRan = seconds(early.running(), early.finished());
        assertTrue(earlyRan >= 0.6 && earlyRan <= 3.0, "only its remaining 12 s / 10 run; ran " + earlyRan);
        PodRecord mid = pods.get("pod-mid");
        assertEquals("Succeeded", mid.phase());
        double midRan = seconds(mid.running(), mid.finished());
        assertTrue(midRan >= 2.5 && midRan <= 5.0, "30 s / 10; ran " + midRan);
        PodRecord late = pods.get("pod-late");
        assertEquals("Running", late.phase(), "still running at the end of the trace: lives to the end");
        assertNull(late.finished());
        r.pods().records().forEach(p -> assertTrue(p.node().startsWith(NodePool.VIRTUAL_NODE_PREFIX), p.toString()));
        assertNothingLeft(cluster.client(), r);
    }

    @Test
    @OnKind
    void updatingARunningPodDoesNotStretchItsRecordedLifetime(Cluster cluster) throws Exception {
        SimulationRun.Hooks touch = new SimulationRun.Hooks() {
            @Override
            public void replayStarting(KubernetesClient client, String runName, dev.skci.webhook.AdmissionServer server) {
                Thread.ofVirtual().start(() -> {
                    Poll.until(Duration.ofSeconds(30), "pod-mid to run", () -> {
                        Pod p = client.pods().inNamespace("touch-testing").withName("pod-mid").get();
                        return p != null && "Running".equals(p.getStatus().getPhase());
                    });
                    try {
                        Thread.sleep(1500); // halfway through its 3 s
                    } catch (InterruptedException e) {
                        return;
                    }
                    // KWOK restarts a relative delay on any update; the pinned absolute time must hold.
                    client.pods().inNamespace("touch-testing").withName("pod-mid")
                            .edit(p -> new PodBuilder(p).editMetadata().addToLabels("touched", "yes").endMetadata().build());
                });
            }
        };
        SimulationResult r = replay(cluster, TestData.projectTrace("bare-pods.sktrace"), 10, "touch", touch);
        assertTrue(r.verdict().passed(), "reasons: " + r.verdict().reasons());
        PodRecord mid = r.pods().records().stream().filter(p -> p.name().equals("pod-mid")).findFirst().orElseThrow();
        double ran = seconds(mid.running(), mid.finished());
        assertTrue(ran >= 2.5 && ran < 4.0, "30 s / 10 despite the update halfway; ran " + ran + " s");
    }

    @Test
    @OnKind
    void anObjectTheApiServerRejectsFailsTheRunWithTheServersReason(Cluster cluster, @org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode good = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"fine\",\"namespace\":\"app\"},\"data\":{\"k\":\"v\"}}");
        // A label value may not contain spaces: the API server answers 422 Invalid.
        com.fasterxml.jackson.databind.node.ObjectNode bad = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"broken\",\"namespace\":\"app\","
                        + "\"labels\":{\"tier\":\"not a valid value\"}},\"data\":{\"k\":\"v\"}}");
        dev.skci.trace.Trace t = new dev.skci.trace.Trace(dev.skci.trace.TracerConfig.empty(), List.of(
                new dev.skci.trace.TraceEvent(1000, List.of(new dev.skci.trace.KubeObject(good), new dev.skci.trace.KubeObject(bad)),
                        List.of())), dev.skci.trace.TraceIndex.empty(), dev.skci.trace.PodLifecycles.empty());
        Path trace = tmp.resolve("rejected.sktrace");
        dev.skci.trace.codec.TraceWriter.write(t, trace);
        SimulationResult r = replay(cluster, trace, 1, "rejected", SimulationRun.Hooks.NONE);
        assertFalse(r.verdict().passed());
        assertEquals(Map.of("ConfigMap", 1), r.replay().stats().appliedByKind());
        String reasons = String.join("\n", r.verdict().reasons());
        assertTrue(reasons.contains("apply v1.ConfigMap rejected-app/broken failed: 422"), reasons);
        assertTrue(reasons.contains("not a valid value"), reasons);
        assertEquals(1, r.replay().stats().failures().size());
        assertNothingLeft(cluster.client(), r);
    }

    @Test
    @OnKind
    void deploymentScalesUpAndDownThenGoes(Cluster cluster) throws Exception {
        SimulationResult r = replay(cluster, TestData.projectTrace("deployment-scaling.sktrace"), 10, "deploy",
                SimulationRun.Hooks.NONE);
        assertTrue(r.verdict().passed(), "reasons: " + r.verdict().reasons());
        assertEquals(Map.of("Deployment", 3), r.replay().stats().appliedByKind());
        assertEquals(Map.of("Deployment", 1), r.replay().stats().deletedByKind());
        assertEquals(5, r.pods().records().size(), "2 pods, then 3 more when scaled to 5: " + r.pods().records());
        assertTrue(r.pods().records().stream().allMatch(p -> p.deleted() != null), "scaled down, then the Deployment was deleted");
        assertTrue(r.pods().records().stream().allMatch(PodRecord::mutated));
        assertNothingLeft(cluster.client(), r);
    }

    @Test
    void podThatEscapesTheWebhookLandsOnTheDecoyAndFailsTheRun(Cluster cluster) throws Exception {
        SimulationRun.Hooks removeWebhook = new SimulationRun.Hooks() {
            @Override
            public void replayStarting(KubernetesClient client, String runName, dev.skci.webhook.AdmissionServer server) {
                client.admissionRegistration().v1().mutatingWebhookConfigurations()
                        .withName(dev.skci.webhook.WebhookRegistration.name(runName)).delete();
                // The API server drops the webhook a moment later; from then on pods go through unmutated.
                Poll.until(Duration.ofSeconds(30), "the API server to stop calling the webhook",
                        () -> WebhookProbe.probe(client, "escape-testing") != null);
                // A stand-in for any controller whose pod templates skci does not know.
                Pod escapee = new PodBuilder().withNewMetadata().withName("escapee").endMetadata()
                        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build();
                client.pods().inNamespace("escape-testing").resource(escapee).create();
                Poll.until(Duration.ofSeconds(30), "the escapee to be scheduled", () -> {
                    Pod p = client.pods().inNamespace("escape-testing").withName("escapee").get();
                    return p != null && p.getSpec().getNodeName() != null;
                });
            }
        };
        SimulationResult r = replay(cluster, TestData.projectTrace("bare-pods.sktrace"), 20, "escape", removeWebhook);
        assertFalse(r.verdict().passed());
        String reasons = String.join("\n", r.verdict().reasons());
        assertTrue(reasons.contains("escape-testing/escapee: bound to node " + NodePool.DECOY_NODE_NAME), reasons);
        assertTrue(reasons.contains(Violation.POD_ON_REAL_NODE), reasons);
        assertTrue(reasons.contains(Violation.UNMUTATED_POD), reasons);
        assertNothingLeft(cluster.client(), r);
    }
}
