package dev.skci.cluster.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.skci.cluster.ControlPlaneTuning;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tuning as kwokctl reads it: one component patch per component with every flag, and a KwokConfiguration. */
class KwokctlTuningTest {
    @Test
    void rendersEveryFlagAsAComponentPatchAndTheKwokOptions() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> docs = new ArrayList<>();
        // As in kwokctl.yaml: the KwokctlConfiguration's head, then the tuning appended.
        String config = "kind: KwokctlConfiguration\napiVersion: config.kwok.x-k8s.io/v1alpha1\noptions:\n  runtime: binary\n"
                + Kwokctl.tuning(ControlPlaneTuning.Level.TUNED);
        try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(config)) {
            it.forEachRemaining(docs::add);
        }
        assertEquals(2, docs.size());
        List<String> rendered = new ArrayList<>();
        List<String> envs = new ArrayList<>();
        for (JsonNode patch : docs.get(0).get("componentsPatches")) {
            for (JsonNode arg : patch.path("extraArgs")) {
                rendered.add(patch.get("name").asText() + " " + arg.get("key").asText() + "=" + arg.get("value").asText());
            }
            for (JsonNode env : patch.path("extraEnvs")) {
                envs.add(patch.get("name").asText() + " " + env.get("name").asText() + "=" + env.get("value").asText());
            }
        }
        assertEquals(java.util.stream.Stream.concat(ControlPlaneTuning.ALWAYS.stream(), ControlPlaneTuning.FLAGS.stream())
                        .map(f -> f.component() + " " + f.name() + "=" + f.value()).sorted().toList(),
                rendered.stream().sorted().toList());
        assertEquals(ControlPlaneTuning.ENV.stream().map(e -> e.component() + " " + e.name() + "=" + e.value()).sorted().toList(),
                envs.stream().sorted().toList());
        assertEquals("KwokConfiguration", docs.get(1).get("kind").asText());
        for (ControlPlaneTuning.KwokOption o : ControlPlaneTuning.KWOK) {
            assertEquals(o.value(), docs.get(1).get("options").get(o.name()).asText(), o.name());
        }
    }

    /** Below TUNED only the flags that keep the control plane alive remain, with kwokctl's own value replaced where marked. */
    @Test
    void everyLevelKeepsLeaderElectionOff() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(Kwokctl.tuning(ControlPlaneTuning.Level.DEFAULT));
        List<String> rendered = new ArrayList<>();
        for (JsonNode patch : doc.get("componentsPatches")) {
            for (JsonNode arg : patch.get("extraArgs")) {
                rendered.add(patch.get("name").asText() + " " + arg.get("key").asText() + "=" + arg.get("value").asText()
                        + (arg.path("override").asBoolean() ? " override" : ""));
            }
            assertTrue(patch.path("extraEnvs").isMissingNode(), "the environment is part of the tuning: " + patch);
        }
        assertEquals(List.of("kube-controller-manager leader-elect=false", "kube-controller-manager node-monitor-grace-period=1h override",
                "kube-scheduler leader-elect=false"), rendered);
    }

    /** The scheduler reads skci's configuration file (main's LocalScheduler), whatever the level, beside its other flags. */
    @Test
    void theSchedulerGetsItsConfigurationFile() throws Exception {
        java.nio.file.Path file = java.nio.file.Path.of("/tmp/some dir/scheduler.json");
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(Kwokctl.tuning(ControlPlaneTuning.Level.DEFAULT,
                java.util.Optional.of(file)));
        List<String> scheduler = new ArrayList<>();
        for (JsonNode patch : doc.get("componentsPatches")) {
            if (patch.get("name").asText().equals("kube-scheduler")) {
                patch.get("extraArgs").forEach(a -> scheduler.add(a.get("key").asText() + "=" + a.get("value").asText()));
            }
        }
        assertEquals(List.of("leader-elect=false", "config=/tmp/some dir/scheduler.json"), scheduler);
    }
}
