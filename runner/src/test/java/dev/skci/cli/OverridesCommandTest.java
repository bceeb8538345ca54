package dev.skci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overrides are checked against the trace before any cluster work: a target that matches nothing (a typo)
 * and a patch that does not apply to what it matches are exit 2 from {@code skci run} and {@code skci validate},
 * without booting or touching a cluster.
 */
class OverridesCommandTest {
    @TempDir
    Path dir;

    private Path config(String overrides) throws Exception {
        Path p = dir.resolve("skci.yaml");
        Files.writeString(p, "apiVersion: skci.dev/v1alpha1\nkind: Config\noverrides:\n" + overrides);
        return p;
    }

    private static final String CRON = TestData.projectTrace("cronjob.sktrace").toString();

    @Test
    void aTypoInTheTargetIsExit2BeforeTheClusterBootsListingWhatTheTraceHas() throws Exception {
        Path cfg = config("  - target: {kind: CronJob, namespace: default, name: helo}\n    patch: {spec: {suspend: true}}\n");
        Path reports = dir.resolve("reports");
        // A kubeconfig that does not exist: any cluster work would fail differently (exit 3).
        Cli.Result r = Cli.run("run", CRON, "--config", cfg.toString(), "--kubeconfig", dir.resolve("none.yaml").toString(),
                "--report-dir", reports.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.errLines().getLast().contains("skci.yaml:4: the override matches no object " + CRON + " applies (target: kind "
                + "CronJob, namespace default, name helo)"), r.err());
        assertTrue(r.err().contains("the trace has CronJob default/hello"), r.err());
        var summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
        assertEquals("invalid-input", summary.get("result").asText());

        Cli.Result v = Cli.run("validate", "--config", withTrace(cfg).toString());
        assertEquals(2, v.exit(), v.toString());
        assertTrue(v.err().contains("the override matches no object"), v.err());
    }

    @Test
    void aJson6902PatchThatDoesNotApplyIsExit2NamingTheObjectAndTheTraceTime() throws Exception {
        Path cfg = config("  - target: {kind: CronJob}\n    patch: [{op: replace, path: /spec/timeZone, value: UTC}]\n");
        Cli.Result r = Cli.run("run", CRON, "--config", cfg.toString(), "--kubeconfig", dir.resolve("none.yaml").toString(),
                "--report-dir", dir.resolve("reports").toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains(": override " + cfg + ":4: cannot patch CronJob default/hello: "), r.err());
        assertTrue(r.err().contains("(trace time +0 s)"), r.err());
    }

    @Test
    void aMatchingOverridePassesValidation() throws Exception {
        Path cfg = withTrace(config("  - target: {kind: CronJob, name: hello}\n    patch: [{op: replace, path: /spec/schedule, value: '*/2 * * * *'}]\n"));
        Cli.Result v = Cli.run("validate", "--config", cfg.toString());
        assertEquals(0, v.exit(), v.toString());
        assertTrue(v.err().contains("1 global override(s)"), v.err());
    }

    private Path withTrace(Path cfg) throws Exception {
        Files.writeString(cfg, Files.readString(cfg) + "simulations:\n  - trace: " + CRON + "\n");
        return cfg;
    }
}
