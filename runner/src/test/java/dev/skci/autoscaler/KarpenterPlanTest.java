package dev.skci.autoscaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.SkciException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** skci's markers and the speed applied to the user's NodePools and node classes, without a cluster. */
class KarpenterPlanTest {
    @TempDir
    Path dir;

    private KarpenterSpec spec(String yaml) throws Exception {
        return spec(yaml, Optional.empty(), Optional.empty());
    }

    private KarpenterSpec spec(String yaml, Optional<Duration> idle, Optional<Duration> max) throws Exception {
        Path f = dir.resolve("pools.yaml");
        Files.writeString(f, yaml);
        KarpenterManifests.Read r = KarpenterManifests.read(List.of(f), "nodePools");
        return new KarpenterSpec(r.nodePools(), r.nodeClasses(), Optional.empty(), idle, max, "skci.yaml:3");
    }

    private static final String POOL = """
            apiVersion: karpenter.sh/v1
            kind: NodePool
            metadata:
              name: default
              resourceVersion: "42"
              uid: abc
            spec:
              template:
                metadata:
                  labels: {team: shop}
                spec:
                  requirements:
                    - {key: kubernetes.io/arch, operator: In, values: [amd64]}
                  taints:
                    - {key: dedicated, value: shop, effect: NoSchedule}
                  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
                  expireAfter: 720h
                  terminationGracePeriod: 5m
              limits: {cpu: "16"}
              disruption:
                consolidationPolicy: WhenEmptyOrUnderutilized
                consolidateAfter: 30s
            status:
              resources: {cpu: "4"}
            """;

    @Test
    void addsTheVirtualMarkersAndKeepsEverythingTheUserWrote() throws Exception {
        KarpenterPlan p = KarpenterPlan.of(spec(POOL), 1);
        ObjectNode pool = p.nodePools().getFirst();
        JsonNode template = pool.path("spec").path("template");
        assertEquals("virtual", template.path("metadata").path("labels").path("type").asText());
        assertEquals("shop", template.path("metadata").path("labels").path("team").asText(), "the user's labels stay");
        assertEquals(2, template.path("spec").path("taints").size(), "the user's taint and skci's");
        assertEquals("dedicated", template.path("spec").path("taints").get(0).path("key").asText());
        JsonNode mine = template.path("spec").path("taints").get(1);
        assertEquals(List.of("kwok-provider", "true", "NoSchedule"),
                List.of(mine.path("key").asText(), mine.path("value").asText(), mine.path("effect").asText()));
        assertEquals("amd64", template.path("spec").path("requirements").get(0).path("values").get(0).asText());
        assertEquals("16", pool.path("spec").path("limits").path("cpu").asText());
        assertFalse(pool.has("status"), "status is the cluster's to write");
        assertEquals(List.of("name"), iterate(pool.path("metadata")), "server-set metadata is dropped");
        assertEquals("30s", pool.path("spec").path("disruption").path("consolidateAfter").asText(), "speed 1 scales nothing");
        assertTrue(p.scaled().isEmpty());
        assertTrue(p.unfaithful().isEmpty(), "speed 1 is faithful: " + p.unfaithful());
        assertEquals(List.of("--batch-idle-duration=1s", "--batch-max-duration=10s"), p.batchFlags(), "Karpenter's defaults");
    }

    @Test
    void pointsAnotherCloudsNodeClassAtKwokAndCreatesTheClassNoFileGives() throws Exception {
        KarpenterPlan p = KarpenterPlan.of(spec(POOL), 1);
        JsonNode ref = p.nodePools().getFirst().path("spec").path("template").path("spec").path("nodeClassRef");
        assertEquals("karpenter.kwok.sh/KWOKNodeClass/default",
                ref.path("group").asText() + "/" + ref.path("kind").asText() + "/" + ref.path("name").asText());
        assertEquals(1, p.nodeClasses().size());
        assertEquals("KWOKNodeClass", p.nodeClasses().getFirst().path("kind").asText());
        assertEquals("default", p.nodeClasses().getFirst().path("metadata").path("name").asText());
        assertEquals(List.of(
                "KWOKNodeClass default (created empty: NodePool default refers to it and no file gives it)",
                "NodePool default: label type=virtual, taint kwok-provider=true:NoSchedule, nodeClassRef EC2NodeClass/default -> "
                        + "KWOKNodeClass/default (the simulation's cloud is KWOK)"), p.added());
    }

    @Test
    void addsNothingAPoolAlreadyHasAndUsesTheGivenNodeClass() throws Exception {
        KarpenterPlan p = KarpenterPlan.of(spec("""
                apiVersion: karpenter.kwok.sh/v1alpha1
                kind: KWOKNodeClass
                metadata: {name: fast}
                spec: {nodeRegistrationDelay: 20s}
                ---
                apiVersion: karpenter.sh/v1
                kind: NodePool
                metadata: {name: sim}
                spec:
                  template:
                    metadata: {labels: {type: virtual}}
                    spec:
                      requirements: [{key: type, operator: In, values: [virtual]}]
                      taints: [{key: kwok-provider, value: "true", effect: NoSchedule}]
                      nodeClassRef: {group: karpenter.kwok.sh, kind: KWOKNodeClass, name: fast}
                """), 10);
        assertEquals(List.of(), p.added());
        assertEquals(1, p.nodePools().getFirst().path("spec").path("template").path("spec").path("taints").size());
        assertEquals("2s", p.nodeClasses().getFirst().path("spec").path("nodeRegistrationDelay").asText(), "20s at speed 10");
    }

    @Test
    void speedScalesEveryTimerKarpenterLetsUsSet() throws Exception {
        KarpenterPlan p = KarpenterPlan.of(spec(POOL, Optional.of(Duration.ofSeconds(2)), Optional.empty()), 10);
        JsonNode pool = p.nodePools().getFirst().path("spec");
        assertEquals("3s", pool.path("disruption").path("consolidateAfter").asText());
        assertEquals("259200s", pool.path("template").path("spec").path("expireAfter").asText(), "720h / 10 = 72h");
        assertEquals("30s", pool.path("template").path("spec").path("terminationGracePeriod").asText());
        assertEquals(List.of("--batch-idle-duration=200ms", "--batch-max-duration=1s"), p.batchFlags());
        assertTrue(p.scaled().contains("NodePool default consolidateAfter 30s -> 3s"), p.scaled().toString());
        assertTrue(p.scaled().contains("Karpenter batchIdleDuration 2s -> 200ms"), p.scaled().toString());
    }

    @Test
    void whatNoSettingScalesIsReportedAsUnfaithful() throws Exception {
        KarpenterPlan p = KarpenterPlan.of(spec(POOL), 10);
        assertEquals(1, p.unfaithful().size(), p.unfaithful().toString());
        String consolidation = p.unfaithful().getFirst();
        assertTrue(consolidation.contains("NodePool default: consolidation cannot follow speed 10")
                && consolidation.contains("every 10 s") && consolidation.contains("waits 15 s")
                && consolidation.contains("250 s of trace time"), consolidation);
    }

    @Test
    void neverStaysNeverAndASwitchedOffConsolidationIsFaithful() throws Exception {
        KarpenterPlan p = KarpenterPlan.of(spec(POOL.replace("consolidateAfter: 30s", "consolidateAfter: Never")
                .replace("expireAfter: 720h", "expireAfter: Never")), 10);
        JsonNode pool = p.nodePools().getFirst().path("spec");
        assertEquals("Never", pool.path("disruption").path("consolidateAfter").asText());
        assertEquals("Never", pool.path("template").path("spec").path("expireAfter").asText());
        assertEquals(List.of(), p.unfaithful());
    }

    @Test
    void roundingToWholeSecondsAndBudgetSchedulesAreReported() throws Exception {
        KarpenterPlan p = KarpenterPlan.of(spec(POOL.replace("consolidateAfter: 30s", """
                consolidateAfter: 5s
                    budgets:
                      - {nodes: "10%", schedule: "0 9 * * mon-fri", duration: 8h}""")), 10);
        assertEquals("1s", p.nodePools().getFirst().path("spec").path("disruption").path("consolidateAfter").asText(),
                "0.5 s is not a Karpenter duration");
        assertTrue(p.unfaithful().stream().anyMatch(u -> u.contains("consolidateAfter 5s at speed 10 would be 0.500s")), p.unfaithful().toString());
        assertTrue(p.unfaithful().stream().anyMatch(u -> u.contains("schedule '0 9 * * mon-fri' is a cron expression")),
                p.unfaithful().toString());
    }

    @Test
    void speedMaxScalesNothingAndSaysSo() throws Exception {
        KarpenterPlan p = KarpenterPlan.of(spec(POOL), Double.POSITIVE_INFINITY);
        assertEquals("30s", p.nodePools().getFirst().path("spec").path("disruption").path("consolidateAfter").asText());
        assertEquals(List.of("--batch-idle-duration=1s", "--batch-max-duration=10s"), p.batchFlags());
        assertTrue(p.unfaithful().getFirst().startsWith("speed max: Karpenter's timers"), p.unfaithful().toString());
    }

    @Test
    void aPoolThatContradictsTheMarkersIsRefusedNamingTheFileAndLine() throws Exception {
        assertRefused(POOL.replace("labels: {team: shop}", "labels: {type: gpu}"), "label type=gpu, but skci marks virtual nodes");
        assertRefused(POOL.replace("- {key: kubernetes.io/arch, operator: In, values: [amd64]}",
                "- {key: type, operator: In, values: [gpu]}"), "requirement on type (In [\"gpu\"]) that rules out type=virtual");
        assertRefused(POOL.replace("{key: dedicated, value: shop, effect: NoSchedule}",
                "{key: kwok-provider, value: \"true\", effect: NoExecute}"), "taints its nodes kwok-provider:NoExecute");
    }

    private void assertRefused(String yaml, String expected) throws Exception {
        KarpenterSpec s = spec(yaml);
        SkciException e = assertThrows(SkciException.class, () -> KarpenterPlan.check(s));
        assertEquals(SkciException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(dir.resolve("pools.yaml") + ": line 1: NodePool default "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void karpenterDurationsParse() {
        assertEquals(Optional.of(Duration.ofMinutes(90)), KarpenterPlan.parse("1h30m"));
        assertEquals(Optional.of(Duration.ofSeconds(45)), KarpenterPlan.parse("45s"));
        assertEquals(Optional.empty(), KarpenterPlan.parse("1.5h"));
        assertEquals(Optional.empty(), KarpenterPlan.parse("Never"));
        assertEquals(Optional.empty(), KarpenterPlan.parse(""));
    }

    private static List<String> iterate(JsonNode o) {
        List<String> names = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
