package dev.skci.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.observe.Metrics;
import dev.skci.replay.LatenessRecorder;
import dev.skci.replay.ReplayStats;
import dev.skci.result.CleanupReport;
import dev.skci.result.SimulationResult;
import dev.skci.testing.TestMetrics;
import dev.skci.verdict.Check;
import dev.skci.verdict.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html in a real browser: headless Chromium (Debian's, which scripts/test.sh installs) loads the
 * file with the network off, its script draws the charts and fills the tables, and the DOM it leaves is
 * checked: every chart has a line per series with as many points as the timeline has samples, and every
 * table has its rows. A screenshot is kept as runner/target/report-screenshot.png.
 */
class HtmlReportBrowserTest {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("SKCI_CHROMIUM", "/usr/bin/chromium"));

    private static List<String> chromium(Path profile, String... args) {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String run(List<String> cmd, Path out) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish within 90 s");
        return Files.readString(out);
    }

    private static SimulationResult result() {
        Metrics m = TestMetrics.with(54, 30, 3, 0.95, true);
        List<Check> checks = List.of(
                Check.passed("pods-mutated", Check.Kind.HARNESS, Check.Severity.FAIL, "every pod was mutated"),
                Check.failed("every-pod-scheduled", Check.Kind.EXPECTATION, Check.Severity.FAIL, "30 pod(s) were never scheduled"),
                Check.failed("soft", Check.Kind.EXPECTATION, Check.Severity.WARN, "nodes.peak > 100 does not hold"));
        return new SimulationResult("traces/dsb.sktrace", "skci-abcdef", Verdict.of(checks), m,
                new SimulationResult.Replay(new ReplayStats(), new LatenessRecorder()), new SimulationResult.Admission(54, 0, 0, 0, List.of()),
                new SimulationResult.Pods(List.of(), Map.of("Pending", 30, "Running", 24)),
                new SimulationResult.Harness(List.of(), new CleanupReport(true, Duration.ZERO, List.of()), Duration.ofSeconds(31),
                        Optional.empty())).withBaseline(Optional.of(TestMetrics.with(54, 0, 3, 1, true)))
                .withChanges(new SimulationResult.Changes(List.of("PriorityClass critical (setup/pc.yaml:1)"),
                        List.of(new dev.skci.override.Overrides.Use("cpu.yaml", "kind Deployment",
                                Map.of("Deployment dsb/svc-0", 2, "Deployment dsb/svc-1", 1)))));
    }

    private static int count(String dom, String regex) {
        Matcher m = Pattern.compile(regex).matcher(dom);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void theChartsHaveTheirDataAndTheTablesTheirRowsInARealBrowser(@TempDir Path tmp) throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: install Debian's chromium (scripts/test.sh does)");
        Path dir = tmp.resolve("reports");
        CiReports.write(dir, List.of(result()), List.of(), 1, Map.of(), new PrintStream(new ByteArrayOutputStream()));
        Path html = dir.resolve("report.html");
        String page = Files.readString(html);
        assertEquals(0, count(page, "(src|href)=\"|<link|url\\(|import\\(|fetch\\("), "self-contained: the page loads nothing");
        String dom = run(chromium(tmp.resolve("profile"), "--dump-dom", html.toUri().toString()), tmp.resolve("dom.html"));
        assertTrue(dom.contains("data-rendered=\"true\""), "the script ran: " + dom.substring(0, Math.min(500, dom.length())));
        assertEquals(5, count(dom, "<svg class=\"chart-svg\""), "five charts");
        // 4 + 2 + 1 + 2 + 2 series, each a polyline over the 3 samples of the timeline
        assertEquals(11, count(dom, "<polyline[^>]*data-samples=\"3\""), dom);
        assertEquals(0, count(dom, "<polyline[^>]*points=\"\""), "no empty line");
        assertEquals(3, rows(dom, "checks"));
        assertEquals(1, rows(dom, "reasons"));
        assertEquals(1, rows(dom, "workloads"));
        assertEquals(Comparison.METRICS.size(), rows(dom, "comparison"));
        assertEquals(1, rows(dom, "setup"));
        assertEquals(2, rows(dom, "overrides"), "a row per patched object");
        assertTrue(dom.contains("Deployment dsb/svc-1"), "the patched objects are named");
        assertTrue(dom.contains("Result: failed (exit code 1)"));
        Path shot = Path.of("target", "report-screenshot.png").toAbsolutePath();
        Files.createDirectories(shot.getParent());
        Files.deleteIfExists(shot);
        run(chromium(tmp.resolve("profile2"), "--screenshot=" + shot, "--window-size=1280,1600", html.toUri().toString()),
                tmp.resolve("shot.log"));
        assertTrue(Files.size(shot) > 10_000, "a screenshot of the rendered page");
    }

    private static int rows(String dom, String table) {
        Matcher m = Pattern.compile("<table class=\"" + table + "\">(.*?)</table>", Pattern.DOTALL).matcher(dom);
        assertTrue(m.find(), "no " + table + " table");
        return count(m.group(1), "<tr class=\"row\">");
    }
}
