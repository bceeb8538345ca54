package dev.skci.override;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.cluster.SimNames;
import dev.skci.trace.Gvk;
import dev.skci.trace.KubeObject;
import dev.skci.trace.TracerConfig;
import dev.skci.trace.TrackedKinds;
import dev.skci.trace.hash.StablePodSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Targets, both patch forms, the counts the reports show, and what an override may not do. */
class OverridesTest {
    private static final TrackedKinds KINDS = TrackedKinds.normalize(TracerConfig.empty());

    private static KubeObject web(String ns, String cpu) {
        return new KubeObject(StrategicMergeTest.yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: %s, labels: {app: web, tier: front}}
                spec:
                  replicas: 2
                  template:
                    spec:
                      containers: [{name: app, image: web:1, resources: {requests: {cpu: %s}}}]
                """.formatted(ns, cpu)));
    }

    private static Patch smp(String body, Target target) {
        return new Patch("p.yaml", Patch.Form.STRATEGIC_MERGE, StrategicMergeTest.yaml(body), target);
    }

    private static Target kind(String kind) {
        return new Target(Optional.empty(), Optional.empty(), Optional.of(kind), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    @Test
    void aPatchNamingItsObjectPatchesOnlyThatOneAndCountsEveryVersion() {
        Patch p = smp("spec: {template: {spec: {containers: [{name: app, resources: {requests: {cpu: '4'}}}]}}}",
                Target.of(new Gvk("apps", "v1", "Deployment"), "shop", "web"));
        Overrides o = new Overrides(List.of(p), KINDS);
        KubeObject patched = o.apply(web("shop", "1"));
        o.apply(web("shop", "1"));
        KubeObject other = web("blog", "1");
        assertSame(other, o.apply(other), "another namespace: not patched, the same object");
        assertEquals("4", patched.node().at("/spec/template/spec/containers/0/resources/requests/cpu").asText());
        assertEquals(Map.of("Deployment shop/web", 2), o.uses().getFirst().objects());
        assertEquals(2, o.uses().getFirst().versions());
    }

    @Test
    void aChangedPodSpecKeepsTheProductionHashSoLifecyclesStillResolve() {
        KubeObject traced = web("shop", "1");
        Overrides o = new Overrides(List.of(smp("spec: {template: {spec: {containers: [{name: app, image: web:2}]}}}", kind("Deployment"))),
                KINDS);
        KubeObject patched = o.apply(traced);
        String hash = patched.node().at("/spec/template/metadata/annotations").path(SimNames.ANNOTATION_POD_HASH).asText();
        assertEquals(Long.toUnsignedString(StablePodSpec.hash(traced.node().at("/spec/template/spec"))), hash);

        Overrides labelsOnly = new Overrides(List.of(smp("metadata: {labels: {x: y}}", kind("Deployment"))), KINDS);
        assertTrue(labelsOnly.apply(traced).node().at("/spec/template/metadata/annotations").isMissingNode(),
                "no hash when the pod spec did not change");
    }

    @Test
    void json6902SelectorsAndOrder() {
        KubeObject cron = new KubeObject(StrategicMergeTest.yaml("""
                {apiVersion: batch/v1, kind: CronJob, metadata: {name: hello, namespace: default, labels: {team: a}},
                 spec: {schedule: '* * * * *'}}
                """));
        Target byLabel = new Target(Optional.of("batch"), Optional.empty(), Optional.of("CronJob"), Optional.empty(), Optional.empty(),
                Optional.of(LabelSelector.parse("team in (a,b),!legacy")), Optional.empty());
        Patch json = new Patch("s.yaml", Patch.Form.JSON_6902,
                new ObjectMapper().createArrayNode().add(new ObjectMapper().createObjectNode().put("op", "replace")
                        .put("path", "/spec/schedule").put("value", "*/2 * * * *")), byLabel);
        Patch second = smp("spec: {suspend: true}", kind("CronJob"));
        Overrides o = new Overrides(List.of(json, second), KINDS);
        KubeObject out = o.apply(cron);
        assertEquals("*/2 * * * *", out.node().at("/spec/schedule").asText());
        assertTrue(out.node().at("/spec/suspend").asBoolean());
        assertEquals("* * * * *", cron.node().at("/spec/schedule").asText());
        assertFalse(byLabel.matches(web("shop", "1")));
    }

    @Test
    void aPatchThatCannotApplyOrChangesIdentityIsRefusedNamingBoth() {
        Patch missing = new Patch("s.yaml", Patch.Form.JSON_6902, new ObjectMapper().createArrayNode().add(
                new ObjectMapper().createObjectNode().put("op", "replace").put("path", "/spec/nothing/here").put("value", 1)),
                kind("Deployment"));
        var e = assertThrows(StrategicMerge.PatchException.class, () -> new Overrides(List.of(missing), KINDS).apply(web("shop", "1")));
        assertTrue(e.getMessage().startsWith("s.yaml: cannot patch Deployment shop/web: "), e.getMessage());
        Patch rename = new Patch("r.yaml", Patch.Form.JSON_6902, new ObjectMapper().createArrayNode().add(
                new ObjectMapper().createObjectNode().put("op", "replace").put("path", "/metadata/name").put("value", "x")),
                kind("Deployment"));
        e = assertThrows(StrategicMerge.PatchException.class, () -> new Overrides(List.of(rename), KINDS).apply(web("shop", "1")));
        assertTrue(e.getMessage().contains("changes the apiVersion, kind, name or namespace of Deployment shop/web"), e.getMessage());
    }

    @Test
    void labelSelectorsParseAsKubectlWritesThem() {
        Map<String, String> labels = Map.of("app", "web", "tier", "front");
        assertTrue(LabelSelector.parse("app=web").matches(labels));
        assertTrue(LabelSelector.parse("app==web, tier!=back").matches(labels));
        assertTrue(LabelSelector.parse("tier in (front, back),!legacy,app").matches(labels));
        assertFalse(LabelSelector.parse("tier notin (front)").matches(labels));
        assertFalse(LabelSelector.parse("legacy").matches(labels));
        for (String bad : List.of("", "app=", "a b", "tier in front", "x in (a", "=web", "ap p=web")) {
            if (bad.equals("app=")) {
                assertTrue(LabelSelector.parse(bad).matches(Map.of("app", "")), "an empty value is a value");
                continue;
            }
            var e = assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("label selector '" + bad + "': "), e.getMessage());
        }
    }
}
