package dev.skci.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skci.SkciException;
import dev.skci.config.Shard;
import dev.skci.replay.LatenessRecorder;
import dev.skci.replay.ReplayStats;
import dev.skci.result.CleanupReport;
import dev.skci.result.SimulationResult;
import dev.skci.verdict.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class MergedReportsTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    private static SimulationResult result(String trace, List<String> reasons) {
        return new SimulationResult(trace, "skci-" + Math.abs(trace.hashCode() % 1000), Verdict.ofReasons(reasons),
                dev.skci.testing.TestMetrics.empty(), new SimulationResult.Replay(new ReplayStats(), new LatenessRecorder()),
                new SimulationResult.Admission(3, 3, 0, 0, List.of()), new SimulationResult.Pods(List.of(), Map.of("Succeeded", 3)),
                new SimulationResult.Harness(List.of(), new CleanupReport(true, Duration.ofSeconds(5), List.of()),
                        Duration.ofMillis(20500), Optional.empty()));
    }

    /** A shard's report directory as `skci run --shard I/N` writes it. */
    private static Path shard(Path root, int i, int n, int exitCode, SimulationResult... results) throws Exception {
        Path d = root.resolve("skci-reports-" + i);
        CiReports.write(d, List.of(results), List.of(), exitCode, Optional.of(new Shard(i, n)), Map.of(), QUIET);
        return d;
    }

    private static JsonNode json(Path f) throws Exception {
        return SummaryJson.JSON.readTree(f.toFile());
    }

    @Test
    void twoShardsBecomeOneRun(@TempDir Path tmp) throws Exception {
        Path a = shard(tmp, 1, 2, 0, result("traces/a.sktrace", List.of()));
        Path b = shard(tmp, 2, 2, 1, result("traces/b.sktrace", List.of("pod x: bound to the decoy")),
                result("traces/c.sktrace", List.of()));
        assertEquals("1/2", json(a.resolve("summary.json")).path("shard").path("index").asText() + "/2");
        Path out = tmp.resolve("merged");
        MergedReports.Result r = MergedReports.merge(List.of(b, a), out, Map.of(), QUIET);
        assertEquals(1, r.exitCode());

        JsonNode s = json(out.resolve("summary.json"));
        assertEquals(1, s.path("exitCode").asInt());
        assertEquals("failed", s.path("result").asText());
        assertEquals(List.of("traces/a.sktrace", "traces/b.sktrace", "traces/c.sktrace"),
                java.util.stream.StreamSupport.stream(s.path("simulations").spliterator(), false).map(x -> x.path("trace").asText()).toList(),
                "shard order, then each shard's order");
        assertEquals(List.of("1/2", "2/2"), s.path("shards").findValuesAsText("shard"));
        // The merged summary works as a --baseline.
        assertEquals(3, SummaryJson.baselines(out.resolve("summary.json")).size());

        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve("junit.xml").toFile());
        assertEquals(3, junit.getElementsByTagName("testsuite").getLength());
        assertEquals("1", junit.getDocumentElement().getAttribute("failures"));
        assertEquals(String.valueOf(junit.getElementsByTagName("testcase").getLength()), junit.getDocumentElement().getAttribute("tests"));
        assertEquals(3, junit.getElementsByTagName("property").getLength(), "each suite names its shard");

        JsonNode page = MergedReports.pageData(out.resolve("report.html"));
        assertEquals(3, page.path("traces").size());
        assertEquals(2, page.path("shards").size());
        assertEquals("failed", page.path("result").asText());
        assertTrue(json(out.resolve("timeline.json")).isArray());
        assertEquals(3, json(out.resolve("timeline.json")).size());
    }

    @Test
    void aShardThatLeftNoReportsFailsTheMergeClosed(@TempDir Path tmp) throws Exception {
        Path a = shard(tmp, 1, 3, 0, result("traces/a.sktrace", List.of()));
        Path c = shard(tmp, 3, 3, 0, result("traces/c.sktrace", List.of()));
        Path out = tmp.resolve("merged");
        MergedReports.Result r = MergedReports.merge(List.of(a, c), out, Map.of(), QUIET);
        assertEquals(3, r.exitCode(), "all present shards passed, but one is missing: not a pass");
        JsonNode s = json(out.resolve("summary.json"));
        assertEquals(false, s.path("passed").asBoolean(true));
        assertTrue(s.path("errors").get(0).path("error").asText().startsWith("shard 2/3 left no reports"), s.toString());
        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve("junit.xml").toFile());
        assertEquals("1", junit.getDocumentElement().getAttribute("errors"));
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("missing: shard 2/3")), r.lines().toString());
    }

    @Test
    void aDirectoryWithoutASummaryIsAMissingShard(@TempDir Path tmp) throws Exception {
        Path a = shard(tmp, 1, 1, 0, result("traces/a.sktrace", List.of()));
        Path empty = Files.createDirectories(tmp.resolve("skci-reports-2"));
        MergedReports.Result r = MergedReports.merge(List.of(a, empty), tmp.resolve("merged"), Map.of(), QUIET);
        assertEquals(3, r.exitCode());
    }

    @Test
    void theMostSeriousExitCodeWins() {
        assertEquals(1, MergedReports.worse(5, 1));
        assertEquals(1, MergedReports.worse(0, 1));
        assertEquals(5, MergedReports.worse(5, 0));
        assertEquals(3, MergedReports.worse(1, 3));
        assertEquals(2, MergedReports.worse(3, 2));
        assertEquals(4, MergedReports.worse(4, 70));
        assertEquals(130, MergedReports.worse(4, 130));
        assertEquals(99, MergedReports.worse(0, 99), "a code skci does not write is the most serious");
    }

    @Test
    void inputsThatAreNotTheShardsOfOneRunAreInvalidInput(@TempDir Path tmp) throws Exception {
        Path a = shard(tmp.resolve("x"), 1, 2, 0, result("traces/a.sktrace", List.of()));
        Path a2 = shard(tmp.resolve("y"), 1, 2, 0, result("traces/a.sktrace", List.of()));
        Path other = shard(tmp.resolve("z"), 2, 3, 0, result("traces/b.sktrace", List.of()));
        Path out = tmp.resolve("merged");
        for (List<Path> bad : List.of(List.of(a, a2), List.of(a, other), List.of(a, tmp.resolve("nope")), List.<Path>of())) {
            SkciException e = assertThrows(SkciException.class, () -> MergedReports.merge(bad, out, Map.of(), QUIET), bad.toString());
            assertEquals(SkciException.Kind.INVALID_INPUT, e.kind());
            assertTrue(e.getMessage().startsWith("merge-reports"), e.getMessage());
        }
        assertThrows(SkciException.class, () -> MergedReports.merge(List.of(a), a, Map.of(), QUIET), "output = input");
        Files.writeString(tmp.resolve("x/bogus.json"), "{\"hello\": 1}");
        assertThrows(SkciException.class, () -> MergedReports.merge(List.of(tmp.resolve("x/bogus.json")), out, Map.of(), QUIET));
        assertTrue(!Files.exists(out), "nothing is written for invalid input");
    }

    @Test
    void underGitHubActionsTheMergeWritesTheOutputsAndTheJobSummary(@TempDir Path tmp) throws Exception {
        Path a = shard(tmp, 1, 2, 0, result("traces/a.sktrace", List.of()));
        Path gh = tmp.resolve("out.txt");
        Path summary = tmp.resolve("summary.md");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        MergedReports.merge(List.of(a), tmp.resolve("merged"), Map.of("GITHUB_ACTIONS", "true", "GITHUB_OUTPUT", gh.toString(),
                "GITHUB_STEP_SUMMARY", summary.toString()), new PrintStream(stdout, true));
        assertTrue(Files.readString(gh).contains("exit-code=3"), Files.readString(gh));
        assertTrue(Files.readString(summary).contains("| 2/2 | no reports |"), Files.readString(summary));
        assertTrue(stdout.toString().contains("::error title=skci merge-reports::shard 2/2 left no reports"), stdout.toString());
    }
}
