package dev.skci.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.TestData;
import dev.skci.cli.Cli;
import dev.skci.cluster.Cluster;
import dev.skci.testing.ClusterTest;
import dev.skci.testing.Workloads;
import dev.skci.trace.KubeObject;
import dev.skci.trace.TraceEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Setup manifests and overrides on the real control plane, through {@code skci run} as users call it
 * (against the shared cluster): what production has besides the trace (a PriorityClass, a CRD and its
 * object, a namespace the trace lacks) and the pull request's version of traced objects.
 */
@ClusterTest
class SetupOverridesClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Cli.Result run(Cluster cluster, Path reports, String prefix, String... args) {
        return Cli.runOn(cluster, reports, prefix, args);
    }

    private static JsonNode simulation(Path reports) throws Exception {
        return JSON.readTree(reports.resolve("summary.json").toFile()).get("simulations").get(0);
    }

    private static JsonNode check(JsonNode simulation, String name) {
        for (JsonNode c : simulation.get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + simulation.get("checks"));
    }

    /** Two pods of a Deployment whose template asks for priorityClassName: critical, for 40 s of trace. */
    private static Path criticalTrace(Path dir) {
        KubeObject d = Workloads.deployment("shop", "checkout", 2, "100m", Map.of(), Map.of());
        ((ObjectNode) d.node().at("/spec/template/spec")).put("priorityClassName", "critical");
        return Workloads.write(dir, "critical.sktrace", List.of(new TraceEvent(Workloads.T0, List.of(d), List.of()),
                new TraceEvent(Workloads.T0 + 40, List.of(), List.of())));
    }

    private static Path config(Path dir, String body) throws Exception {
        Path p = dir.resolve("skci.yaml");
        Files.writeString(p, "apiVersion: skci.dev/v1alpha1\nkind: Config\n" + body);
        return p;
    }

    @Test
    void podsNeedingAPriorityClassFailWithoutTheSetupAndPassWithItAndNothingOfItIsLeft(Cluster cluster, @TempDir Path tmp)
            throws Exception {
        Path trace = criticalTrace(tmp);
        Cli.Result without = run(cluster, tmp.resolve("without"), "prio", trace.toString(), "--speed", "10");
        assertEquals(1, without.exit(), without.toString());
        JsonNode sim = simulation(tmp.resolve("without"));
        String failedCreate = check(sim, "controllers-created-pods").get("message").asText();
        assertEquals("failed", check(sim, "controllers-created-pods").get("status").asText());
        assertTrue(failedCreate.contains("no PriorityClass with name critical was found"), failedCreate);
        assertEquals(0.0, sim.at("/metrics/pods/created").asDouble(), "the pods were never created");

        Path setup = Files.createDirectories(tmp.resolve("setup"));
        Files.writeString(setup.resolve("1-priority.yaml"), """
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: critical}
                value: 1000000
                description: what production gives checkout
                """);
        Files.writeString(setup.resolve("2-widgets.yaml"), """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.setup.skci.dev}
                spec:
                  group: setup.skci.dev
                  scope: Namespaced
                  names: {plural: widgets, singular: widget, kind: Widget}
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                ---
                apiVersion: setup.skci.dev/v1
                kind: Widget
                metadata: {name: w, namespace: tools}
                spec: {size: 3}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: flags}
                data: {mode: fast}
                """);
        Cli.Result with = run(cluster, tmp.resolve("with"), "prio", trace.toString(), "--speed", "10", "--config",
                config(tmp, "setup: [setup]\n").toString());
        assertEquals(0, with.exit(), with.toString());
        sim = simulation(tmp.resolve("with"));
        assertEquals(2.0, sim.at("/metrics/pods/scheduled").asDouble(), sim.get("metrics").toString());
        List<String> created = new ArrayList<>();
        sim.get("setup").forEach(s -> created.add(s.asText().replaceAll(" \\(.*", "")));
        assertEquals(List.of("CustomResourceDefinition widgets.setup.skci.dev", "PriorityClass critical", "Widget tools/w",
                "ConfigMap flags"), created, "the CRD first, then the rest in order");
        assertTrue(with.err().contains("skci: setup: 4 object(s) applied"), with.err());
        assertTrue(with.out().contains("  setup:      4 object(s)"), with.out());

        KubernetesClient client = cluster.client();
        assertTrue(sim.get("cleanupComplete").asBoolean());
        assertNull(client.scheduling().v1().priorityClasses().withName("critical").get(), "the PriorityClass went with the run");
        assertNull(client.apiextensions().v1().customResourceDefinitions().withName("widgets.setup.skci.dev").get());
        assertTrue(client.namespaces().list().getItems().stream().noneMatch(n -> n.getMetadata().getName().startsWith("prio-")),
                "no virtual namespace is left, the setup's own (prio-tools, prio-default) included");
    }

    @Test
    void aSetupManifestTheApiServerRejectsIsExit2BeforeReplayWithTheServersMessage(Cluster cluster, @TempDir Path tmp)
            throws Exception {
        Path setup = tmp.resolve("too-high.yaml");
        Files.writeString(setup, "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: critical}\nvalue: 2000000000\n");
        Path reports = tmp.resolve("reports");
        Cli.Result r = run(cluster, reports, "reject", criticalTrace(tmp).toString(), "--config",
                config(tmp, "setup: [too-high.yaml]\n").toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("setup: the API server rejected 1 manifest(s) in a dry run, before anything was replayed: "
                + "too-high.yaml:1 PriorityClass critical: ") || r.err().contains("too-high.yaml:1 PriorityClass critical"), r.err());
        assertTrue(r.err().contains("1000000000"), "the server's own message: " + r.err());
        JsonNode summary = JSON.readTree(reports.resolve("summary.json").toFile());
        assertEquals("invalid-input", summary.get("result").asText());
        assertTrue(summary.at("/errors/0/error").asText().contains("PriorityClass critical"), summary.toString());
        assertEquals(0, summary.get("simulations").size(), "no simulation got as far as a verdict");
        assertNull(cluster.client().scheduling().v1().priorityClasses().withName("critical").get());
        assertTrue(cluster.client().pods().inAnyNamespace().list().getItems().stream()
                .noneMatch(p -> p.getMetadata().getNamespace().startsWith("reject-")), "nothing was replayed");
    }

    @Test
    void fourTimesTheCpuOfTheOverriddenDeploymentsMakesTheirPodsUnschedulableAndTheFailureNamesThem(Cluster cluster,
            @TempDir Path tmp) throws Exception {
        // 3 Deployments × 3 pods × 1.5 CPU = 13.5 of the shared cluster's 24 CPU: it fits. With 6 CPU a pod, a node holds one.
        Path trace = Workloads.dsbLike(tmp, "dsb-like.sktrace", 3, 3, "1500m", 60);
        Cli.Result before = run(cluster, tmp.resolve("before"), "ovr", trace.toString(), "--speed", "10");
        assertEquals(0, before.exit(), before.toString());

        Files.writeString(tmp.resolve("cpu.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: ignored-when-a-target-is-given}
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          resources: {requests: {cpu: "6"}}
                """);
        Path reports = tmp.resolve("after");
        Cli.Result after = run(cluster, reports, "ovr", trace.toString(), "--speed", "10", "--config",
                config(tmp, "overrides:\n  - path: cpu.yaml\n    target: {kind: Deployment, namespace: dsb}\n").toString());
        assertEquals(1, after.exit(), after.toString());
        JsonNode sim = simulation(reports);
        JsonNode scheduled = check(sim, "every-pod-scheduled");
        assertEquals("failed", scheduled.get("status").asText());
        String message = scheduled.get("message").asText();
        assertTrue(message.contains("Insufficient cpu"), message);
        Path patch = tmp.resolve("cpu.yaml"); // shown absolute: the test's directory is outside the working directory
        // Which Deployments get the three nodes is the scheduler's queue order (all three are applied at once), so the
        // message must name those with unscheduled pods, whichever they are: together their 6 unscheduled pods.
        assertTrue(message.contains("Objects the overrides changed have unscheduled pods: Deployment dsb/svc-"), message);
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("Deployment dsb/svc-[0-2] \\(([0-2]) of 3 pods scheduled; "
                + "overridden by " + java.util.regex.Pattern.quote(patch.toString()) + "\\)").matcher(message);
        int unscheduledNamed = 0;
        while (named.find()) {
            unscheduledNamed += 3 - Integer.parseInt(named.group(1));
        }
        assertEquals(6, unscheduledNamed, message);
        assertEquals(6.0, sim.at("/metrics/pods/unschedulable").asDouble(), "one 6-CPU pod per 8-CPU node: " + sim.get("metrics"));
        assertEquals(3.0, sim.at("/metrics/pods/scheduled").asDouble());
        JsonNode use = sim.at("/overrides/0");
        assertEquals(patch.toString(), use.get("override").asText());
        assertEquals(3, use.get("objects").size(), use.toString());
        assertEquals("Deployment dsb/svc-0", use.at("/objects/0/object").asText());
        assertEquals(1, use.at("/objects/0/versions").asInt());
        assertTrue(after.out().contains("  override:   " + patch + " patched Deployment dsb/svc-0 (1 version), Deployment dsb/svc-1"),
                after.out());
        assertTrue(Files.readString(reports.resolve("junit.xml")).contains("override " + patch + " patched Deployment dsb/svc-0"));
    }

    @Test
    void aJson6902PatchOfACronJobsScheduleChangesWhenItsJobsRun(Cluster cluster, @TempDir Path tmp) throws Exception {
        // Unpatched, the trace's every-minute CronJob gets three Jobs in its 205 s (ReplayClusterTest); every two minutes, one.
        Path reports = tmp.resolve("reports");
        Cli.Result r = run(cluster, reports, "cron", TestData.projectTrace("cronjob.sktrace").toString(), "--speed", "20", "--config",
                config(tmp, """
                        overrides:
                          - target: {group: batch, kind: CronJob, namespace: default, name: hello}
                            patch:
                              - {op: test, path: /spec/schedule, value: "* * * * *"}
                              - {op: replace, path: /spec/schedule, value: "*/2 * * * *"}
                        """).toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("  cron jobs:  1 Job(s) created in trace time"), r.out());
        assertEquals("CronJob default/hello", simulation(reports).at("/overrides/0/objects/0/object").asText());
    }
}
