package dev.skci.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.TestData;
import dev.skci.cli.Cli;
import dev.skci.cluster.Bootstrap;
import dev.skci.cluster.Cluster;
import dev.skci.testing.ClusterTest;
import dev.skci.testing.SharedCluster;
import dev.skci.testing.Workloads;
import dev.skci.trace.KubeObject;
import dev.skci.trace.TraceEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The workload verdict on the real cluster, through {@code skci run} as users call it (against the shared
 * cluster, adopted through its kubeconfig): capacity that is too small, a simulation that cannot keep up,
 * expectations that pass, fail and cannot be evaluated, time-aware expectations, and paired runs.
 */
@ClusterTest
class VerdictClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Cli.Result run(Cluster cluster, Path reports, String prefix, String... args) {
        return Cli.runOn(cluster, reports, prefix, args);
    }

    private static JsonNode summary(Path reports) throws Exception {
        return JSON.readTree(reports.resolve("summary.json").toFile());
    }

    private static JsonNode check(JsonNode simulation, String name) {
        for (JsonNode c : simulation.get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + simulation.get("checks"));
    }

    /** dsb-scaling's shape: 54 pods of 1 CPU on 3 nodes of 8 CPU fail, naming the scheduler's reason; on 8 nodes they pass. */
    @Test
    void tooLittleCapacityFailsNamingInsufficientCpuAndEnoughPasses(Cluster cluster, SharedCluster shared, @TempDir Path tmp)
            throws Exception {
        // 240 s of trace at speed 10: 24 s of wall time, so the second or two the controllers take to create 54 pods
        // is well inside the fidelity floor (a 60 s trace made the same delay 33% of the trace and the run inconclusive).
        Path trace = Workloads.dsbLike(tmp, "dsb-like.sktrace", 18, 3, "1", 240);
        Cli.Result small = run(cluster, tmp.resolve("small"), "dsb", trace.toString(), "--speed", "10");
        assertEquals(1, small.exit(), small.toString());
        JsonNode sim = summary(tmp.resolve("small")).get("simulations").get(0);
        JsonNode scheduled = check(sim, "every-pod-scheduled");
        assertEquals("failed", scheduled.get("status").asText());
        assertTrue(scheduled.get("message").asText().contains("Insufficient cpu"), scheduled.toString());
        assertTrue(sim.at("/metrics/pods/unschedulable").asDouble() >= 30, sim.get("metrics").toString());
        assertEquals("passed", check(sim, "simulation-kept-up").get("status").asText(), "the cluster created every pod it could");
        assertTrue(small.out().contains("FAIL every-pod-scheduled"), small.out());
        try {
            Cli.Result enough = run(cluster, tmp.resolve("enough"), "dsb", trace.toString(), "--speed", "10", "--nodes", "8");
            assertEquals(0, enough.exit(), enough.toString());
            assertEquals(0.0, summary(tmp.resolve("enough")).at("/simulations/0/metrics/pods/unschedulable").asDouble());
        } finally {
            new Bootstrap(cluster.client()).run(shared.spec());
        }
    }

    /** 400 pods asked for a tenth of a second of wall time: the cluster cannot keep up, and that is exit 5, not a failure. */
    @Test
    void aSimulationThatCannotKeepUpIsInconclusive(Cluster cluster, @TempDir Path tmp) throws Exception {
        KubeObject burst = Workloads.deployment("burst", "spike", 400, "10m", Map.of(), Map.of());
        KubeObject none = Workloads.deployment("burst", "spike", 0, "10m", Map.of(), Map.of());
        Path trace = Workloads.write(tmp, "spike.sktrace", List.of(
                new TraceEvent(Workloads.T0, List.of(Workloads.deployment("burst", "spike", 0, "10m", Map.of(), Map.of())), List.of()),
                new TraceEvent(Workloads.T0 + 10, List.of(burst), List.of()),
                new TraceEvent(Workloads.T0 + 12, List.of(none), List.of()),
                new TraceEvent(Workloads.T0 + 30, List.of(), List.of(none))));
        Cli.Result r = run(cluster, tmp, "spike", trace.toString(), "--speed", "20");
        assertEquals(5, r.exit(), r.toString());
        JsonNode s = summary(tmp);
        assertEquals("inconclusive", s.get("result").asText());
        String message = check(s.get("simulations").get(0), "simulation-kept-up").get("message").asText();
        assertTrue(message.startsWith("the simulation did not reproduce the trace faithfully"), message);
        assertTrue(message.contains("Deployment burst/spike reached") && message.contains("lower --speed"), message);
    }

    /** Expectations from a config and from --expect: passing, failing, warning and one that cannot be evaluated. */
    @Test
    void expectationsPassFailWarnAndErrorEachAsATestCase(Cluster cluster, @TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("skci.yaml");
        Files.writeString(config, """
                apiVersion: skci.dev/v1alpha1
                kind: Config
                speed: 20
                expectations:
                  - name: five-pods
                    expr: pods.created == 5 && workloads['shop/frontend'].desired == 5
                  - name: never-more-than-five
                    expr: timeline.all(s, s.pods.total <= 5) && timeline.exists(s, s.pods.running == 5)
                  - name: too-few-nodes
                    expr: nodes.peak > 10
                    message: we expected a bigger cluster
                  - name: soft
                    expr: nodes.peak > 100
                    severity: warn
                  - name: missing-workload
                    expr: workloads['shop/nope'].realised > 0
                """);
        Path reports = tmp.resolve("reports");
        Cli.Result r = run(cluster, reports, "expect", TestData.projectTrace("deployment-scaling.sktrace").toString(), "--config",
                config.toString(), "--expect", "kept-up=fidelity.podSeconds > 0.8");
        assertEquals(1, r.exit(), r.toString());
        JsonNode sim = summary(reports).get("simulations").get(0);
        assertEquals("passed", check(sim, "five-pods").get("status").asText());
        assertEquals("passed", check(sim, "never-more-than-five").get("status").asText());
        assertEquals("passed", check(sim, "kept-up").get("status").asText());
        assertEquals("failed", check(sim, "too-few-nodes").get("status").asText());
        assertTrue(check(sim, "too-few-nodes").get("message").asText().startsWith("we expected a bigger cluster"));
        assertEquals("failed", check(sim, "soft").get("status").asText());
        assertEquals("warn", check(sim, "soft").get("severity").asText());
        assertEquals("error", check(sim, "missing-workload").get("status").asText());
        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(reports.resolve("junit.xml").toFile());
        assertEquals(2, junit.getElementsByTagName("failure").getLength(), "too-few-nodes and missing-workload");
        assertEquals(1, junit.getElementsByTagName("skipped").getLength(), "the warning");
        JsonNode timeline = JSON.readTree(reports.resolve("timeline.json").toFile()).get(0).get("samples");
        assertTrue(timeline.size() > 3, "samples over trace time: " + timeline);
        assertTrue(Files.readString(reports.resolve("report.html")).contains("never-more-than-five"));
    }

    /** A bad expression is invalid input before anything touches the cluster. */
    @Test
    void anExpressionThatDoesNotCompileIsExit2BeforeAnyClusterWork(Cluster cluster, @TempDir Path tmp) {
        long roots = cluster.client().genericKubernetesResources(Cleanup.ROOT).list().getItems().size();
        Cli.Result r = run(cluster, tmp, "bad", TestData.projectTrace("deployment-scaling.sktrace").toString(),
                "--expect", "typo=pods.craeted > 0");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--expect typo: ") && r.err().contains("undefined field 'craeted'"), r.err());
        assertEquals(roots, cluster.client().genericKubernetesResources(Cleanup.ROOT).list().getItems().size());
    }

    /** The same config on both sides, twice each: the comparison finds nothing beyond the noise, and only candidates judge. */
    @Test
    void aPairedRunOfTheSameConfigIsWithinNoise(Cluster cluster, @TempDir Path tmp) throws Exception {
        Path base = tmp.resolve("base.yaml");
        Files.writeString(base, "apiVersion: skci.dev/v1alpha1\nkind: Config\nspeed: 30\n");
        Path pr = tmp.resolve("pr.yaml");
        Files.writeString(pr, "apiVersion: skci.dev/v1alpha1\nkind: Config\nspeed: 30\nexpectations:\n"
                + "  - name: no-more-nodes\n    expr: has(baseline.pods) && nodes.peak <= baseline.nodes.peak * 1.1\n");
        Path reports = tmp.resolve("reports");
        Cli.Result r = run(cluster, reports, "paired", TestData.projectTrace("deployment-scaling.sktrace").toString(),
                "--config", pr.toString(), "--baseline-config", base.toString(), "--repeat", "2");
        assertEquals(0, r.exit(), r.toString());
        JsonNode sims = summary(reports).get("simulations");
        assertEquals(4, sims.size());
        assertEquals(List.of("baseline", "candidate", "baseline", "candidate"),
                List.of(sims.get(0).get("role").asText(), sims.get(1).get("role").asText(), sims.get(2).get("role").asText(),
                        sims.get(3).get("role").asText()));
        assertEquals("passed", check(sims.get(1), "no-more-nodes").get("status").asText());
        for (JsonNode row : sims.get(3).get("comparison")) {
            assertFalse(row.get("assessment").asText().equals("worse") && row.get("metric").asText().startsWith("pods.created"),
                    row.toString());
        }
        String html = Files.readString(reports.resolve("report.html"));
        assertTrue(html.matches("(?s).*\"comparison\"\\s*:\\s*\\[\\s*\\{.*"), "the report has the comparison table's data");
        // Reading the summary back: --baseline gives the same baseline.* and comparison without a paired run.
        Cli.Result again = run(cluster, tmp.resolve("again"), "again", TestData.projectTrace("deployment-scaling.sktrace").toString(),
                "--config", pr.toString(), "--baseline", reports.resolve("summary.json").toString());
        assertEquals(0, again.exit(), again.toString());
        assertTrue(summary(tmp.resolve("again")).at("/simulations/0/comparison").size() > 5);
        Cli.Result compare = Cli.run("compare", reports.resolve("summary.json").toString(), tmp.resolve("again/summary.json").toString());
        assertEquals(0, compare.exit(), compare.toString());
        assertTrue(compare.out().contains("pods.created"), compare.out());
    }
}
