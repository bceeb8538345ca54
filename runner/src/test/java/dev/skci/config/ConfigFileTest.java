package dev.skci.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.SkciException;
import dev.skci.TestData;
import dev.skci.verdict.Check;
import dev.skci.verdict.DefaultCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** skci.yaml: valid files bind, bad ones are one line with the file, the line and the problem. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path p = dir.resolve("skci.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    private String refused(String yaml) throws Exception {
        Path p = write(yaml);
        SkciException e = assertThrows(SkciException.class, () -> ConfigFile.load(p));
        assertEquals(SkciException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage().substring(p.toString().length() + 2);
    }

    @Test
    void aFullConfigBinds() throws Exception {
        SkciConfig c = ConfigFile.load(write("""
                apiVersion: skci.dev/v1alpha1
                kind: Config
                speed: 10
                expectations:
                  - name: all-scheduled
                    expr: pods.unschedulable == 0
                    message: every pod needs a node
                  - name: few-nodes
                    expr: nodes.peak <= 5
                    severity: warn
                defaultExpectations:
                  every-pod-scheduled: {enabled: false, reason: covered by all-scheduled}
                fidelity:
                  minPodSeconds: 0.9
                simulations:
                  - trace: traces/a.sktrace
                    speed: max
                    duration: 1h30m
                    expectations:
                      - name: fast
                        expr: pods.schedulingLatency.wall.p99 < duration('1s')
                """));
        assertEquals(10.0, c.global().speed().orElseThrow());
        assertEquals(List.of("all-scheduled", "few-nodes"), c.global().expectations().stream().map(x -> x.name()).toList());
        assertEquals(Check.Severity.WARN, c.global().expectations().get(1).severity());
        assertEquals("every pod needs a node", c.global().expectations().get(0).message());
        assertTrue(c.global().expectations().get(0).where().endsWith("skci.yaml:6"), c.global().expectations().get(0).where());
        assertEquals("covered by all-scheduled", c.global().off().get("every-pod-scheduled"));
        assertEquals(0.9, c.global().minPodSeconds().orElseThrow());
        SkciConfig.Entry e = c.simulations().getFirst();
        assertEquals(dir.resolve("traces/a.sktrace"), e.trace(), "relative to the config file");
        assertEquals(Double.POSITIVE_INFINITY, e.settings().speed().orElseThrow());
        assertEquals(Duration.ofMinutes(90), e.settings().duration().orElseThrow());
    }

    @Test
    void tracesBelowTheWorkingDirectoryAreShownRelativeToIt() throws Exception {
        // Annotations and reports name the trace the way the user spells it, not by a CI runner's absolute path.
        Path dir = Path.of("target/config-file-test");
        Files.createDirectories(dir);
        Path file = dir.resolve("skci.yaml");
        Files.writeString(file, "apiVersion: skci.dev/v1alpha1\nkind: Config\nsimulations:\n  - trace: traces/a.sktrace\n");
        assertEquals(Path.of("target/config-file-test/traces/a.sktrace"), ConfigFile.load(file).simulations().getFirst().trace());
        assertEquals(Path.of("target/config-file-test/traces/a.sktrace"),
                ConfigFile.load(file.toAbsolutePath()).simulations().getFirst().trace());
    }

    @Test
    void mistakesNameTheLineAndWhatIsWrong() throws Exception {
        assertEquals("/sped (line 3): unknown key 'sped' (docs/config.md lists every key)",
                refused("apiVersion: skci.dev/v1alpha1\nkind: Config\nsped: 10\n"));
        assertTrue(refused("apiVersion: skci.dev/v1\nkind: Config\n").startsWith("/apiVersion (line 1): "));
        assertTrue(refused("kind: Config\n").contains("apiVersion"), "a missing required key is named");
        assertTrue(refused("apiVersion: skci.dev/v1alpha1\nkind: Config\nspeed: -1\n").startsWith("/speed (line 3): "));
        assertEquals("/simulations/0/expectations/0/extra (line 7): unknown key 'extra' (docs/config.md lists every key)",
                refused("apiVersion: skci.dev/v1alpha1\nkind: Config\nsimulations:\n  - trace: a.sktrace\n    expectations:\n"
                        + "      - {name: x, expr: 'true',\n         extra: 1}\n"));
        assertTrue(refused("apiVersion: skci.dev/v1alpha1\nkind: Config\ndefaultExpectations:\n  no-such-check: {enabled: false, reason: x}\n")
                .startsWith("/defaultExpectations"), "only default checks can be switched off");
        assertTrue(refused("apiVersion: skci.dev/v1alpha1\nkind: Config\ndefaultExpectations:\n  pods-mutated: {enabled: false}\n")
                .contains("reason"), "switching off needs a reason");
    }

    @Test
    void anExpressionThatDoesNotCompileIsFoundHereWithItsLine() throws Exception {
        String m = refused("apiVersion: skci.dev/v1alpha1\nkind: Config\nexpectations:\n  - name: typo\n    expr: pods.craeted > 0\n");
        assertTrue(m.startsWith("/expectations/0/expr (line 5): expectation 'typo': "), m);
        assertTrue(m.contains("undefined field 'craeted'"), m);
        String dup = refused("apiVersion: skci.dev/v1alpha1\nkind: Config\nexpectations:\n  - {name: a, expr: 'true'}\n  - {name: a, expr: 'false'}\n");
        assertTrue(dup.contains("expectation 'a' is listed twice"), dup);
    }

    @Test
    void syntaxErrorsAndEmptyFilesAreOneLineToo() throws Exception {
        assertTrue(refused("apiVersion: [\n").contains("cannot parse"));
        assertTrue(refused("").contains("is empty; expected a JSON or YAML skci config"));
    }

    @Test
    void theSchemaInTheRepositoryNamesExactlyTheDefaultChecks() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(TestData.repoRoot().resolve("schema/skci-config.schema.json").toFile());
        List<String> names = new ArrayList<>();
        schema.at("/$defs/settings/properties/defaultExpectations/propertyNames/enum").forEach(n -> names.add(n.asText()));
        assertEquals(DefaultCheck.ids(), names, "schema/skci-config.schema.json and verdict.DefaultCheck");
    }
}
