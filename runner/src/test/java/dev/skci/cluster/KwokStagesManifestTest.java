package dev.skci.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.skci.TestData;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped stages, SimNames and docs/kwok-stages.md must name the same annotations. */
class KwokStagesManifestTest {
    private static final Pattern ANNOTATION_REF = Pattern.compile("\\.metadata\\.annotations\\[\\\\?\"([^\"\\\\]+)\\\\?\"]");
    private static final Set<String> KWOK_BUILT_IN = Set.of("node-initialize", "node-heartbeat", "node-heartbeat-with-lease",
            "pod-create", "pod-ready", "pod-complete", "pod-delete", "pod-init-container-running", "pod-init-container-completed");

    @Test
    void stageNamesAreSkcisOwnAndNeverKwoksBuiltIns() throws Exception {
        List<JsonNode> stages = stages();
        assertEquals(7, stages.size());
        for (JsonNode s : stages) {
            String name = s.path("metadata").path("name").asText();
            assertTrue(name.startsWith(KwokStages.NAME_PREFIX), name);
            assertFalse(KWOK_BUILT_IN.contains(name), name);
            assertEquals("Stage", s.path("kind").asText());
        }
    }

    @Test
    void everyAnnotationTheStagesReadIsAStageConstantOfSimNamesAndViceVersa() throws Exception {
        Set<String> referenced = new TreeSet<>();
        for (JsonNode s : stages()) {
            Matcher m = ANNOTATION_REF.matcher(s.toString());
            while (m.find()) {
                referenced.add(m.group(1));
            }
        }
        assertEquals(stageConstants(), referenced);
    }

    /** skci-pod-start is skci-pod-ready's status plus the IPs skci-pod-create gives: one source, so they cannot drift apart. */
    @Test
    void theOneStepStartEndsInTheStatusOfTheTwoStepPath() throws Exception {
        String start = template(stage("skci-pod-start"));
        String ready = template(stage("skci-pod-ready"));
        assertTrue(start.startsWith(ready), start);
        assertEquals(List.of("hostIP", "podIP"), start.substring(ready.length()).lines().map(l -> l.substring(0, l.indexOf(':'))).toList());
        for (String ip : List.of("hostIP", "podIP")) {
            String line = start.lines().filter(l -> l.startsWith(ip + ":")).findFirst().orElseThrow();
            assertTrue(template(stage("skci-pod-create")).lines().anyMatch(line::equals), ip + " as skci-pod-create sets it");
        }
        for (String r : KwokStages.RESOURCES) {
            assertFalse(KwokStages.rendered(r).contains("@include"), r);
        }
    }

    private static JsonNode stage(String name) throws Exception {
        return stages().stream().filter(s -> s.path("metadata").path("name").asText().equals(name)).findFirst().orElseThrow();
    }

    private static String template(JsonNode stage) {
        return stage.path("spec").path("next").path("patches").path(0).path("template").asText();
    }

    @Test
    void noStageSetsAJitter() throws Exception {
        // KWOK uses a jitter smaller than the delay *instead of* the delay; only the node heartbeat, whose
        // jitter is deliberately larger than its delay, may have one.
        for (JsonNode s : stages()) {
            JsonNode delay = s.path("spec").path("delay");
            boolean jitter = delay.has("jitterDurationMilliseconds") || delay.has("jitterDurationFrom");
            if (s.path("metadata").path("name").asText().equals("skci-node-heartbeat")) {
                assertTrue(delay.path("jitterDurationMilliseconds").asLong() > delay.path("durationMilliseconds").asLong());
            } else {
                assertFalse(jitter, s.path("metadata").path("name").asText());
            }
        }
    }

    @Test
    void docsDescribeEveryStageAndAnnotation() throws Exception {
        String doc = Files.readString(TestData.repoRoot().resolve("docs/kwok-stages.md"));
        for (String a : stageConstants()) {
            assertTrue(doc.contains(a), "docs/kwok-stages.md does not mention " + a);
        }
        for (JsonNode s : stages()) {
            String name = s.path("metadata").path("name").asText();
            assertTrue(doc.contains(name), "docs/kwok-stages.md does not mention " + name);
        }
    }

    private static Set<String> stageConstants() throws IllegalAccessException {
        Set<String> names = new TreeSet<>();
        for (Field f : SimNames.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getName().startsWith("STAGE_")) {
                names.add((String) f.get(null));
            }
        }
        return names;
    }

    private static List<JsonNode> stages() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> all = new ArrayList<>();
        for (String r : KwokStages.RESOURCES) {
            var it = yaml.readValues(yaml.getFactory().createParser(KwokStages.rendered(r)), JsonNode.class);
            while (it.hasNext()) {
                all.add(it.next());
            }
        }
        return all;
    }
}
