package dev.skci.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.TestData;
import dev.skci.observe.Metrics;
import dev.skci.verdict.cel.MetricTypes;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The reference pages say what the declarations say: variables, default checks, config keys. */
class ExpectationsDocTest {
    private static String block(String doc, String name) {
        String begin = "<!-- " + name + ":begin -->";
        int i = doc.indexOf(begin);
        int j = doc.indexOf("<!-- " + name + ":end -->");
        assertTrue(i >= 0 && j > i, "no " + name + " block");
        return doc.substring(i + begin.length(), j);
    }

    private static List<String> rows(String block) {
        return block.lines().filter(l -> l.startsWith("| `")).toList();
    }

    @Test
    void theVariablesTableIsTheMetricRecords() throws Exception {
        String doc = Files.readString(TestData.repoRoot().resolve("docs/expectations.md"));
        assertEquals(MetricTypes.get().reference("", Metrics.class), rows(block(doc, "variables")),
                "docs/expectations.md's variables; regenerate from MetricTypes.reference");
    }

    @Test
    void theDefaultChecksTableIsTheDeclaration() throws Exception {
        String doc = Files.readString(TestData.repoRoot().resolve("docs/expectations.md"));
        List<String> expected = Arrays.stream(DefaultCheck.values())
                .map(c -> "| `" + c.id() + "` | " + c.kind().name().toLowerCase() + " | " + c.description() + " |").toList();
        assertEquals(expected, rows(block(doc, "default-checks")));
    }

    @Test
    void theConfigReferenceNamesEveryKeyOfTheSchema() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(TestData.repoRoot().resolve("schema/skci-config.schema.json").toFile());
        TreeSet<String> keys = new TreeSet<>();
        collect(schema, keys);
        String doc = Files.readString(TestData.repoRoot().resolve("docs/config.md"));
        List<String> missing = new ArrayList<>();
        for (String k : keys) {
            if (!doc.contains("`" + k + "`")) {
                missing.add(k);
            }
        }
        assertEquals(List.of(), missing, "keys of schema/skci-config.schema.json that docs/config.md does not describe");
    }

    private static void collect(JsonNode n, TreeSet<String> keys) {
        if (n.isObject()) {
            JsonNode props = n.get("properties");
            if (props != null) {
                for (Map.Entry<String, JsonNode> e : props.properties()) {
                    keys.add(e.getKey());
                }
            }
            n.forEach(c -> collect(c, keys));
        } else if (n.isArray()) {
            n.forEach(c -> collect(c, keys));
        }
    }
}
