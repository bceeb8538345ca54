package dev.skci.report;

import dev.skci.result.SimulationResult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.replay.LatenessRecorder;
import dev.skci.replay.ReplayStats;
import dev.skci.result.CleanupReport;
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

class CiReportsTest {
    private static SimulationResult result(String trace, List<String> reasons) {
        return new SimulationResult(trace, "skci-abc123", Verdict.ofReasons(reasons), dev.skci.testing.TestMetrics.empty(),
                new SimulationResult.Replay(new ReplayStats(), new LatenessRecorder()),
                new SimulationResult.Admission(3, 3, 0, 0, List.of()),
                new SimulationResult.Pods(List.of(), Map.of("Succeeded", 3)),
                new SimulationResult.Harness(List.of(), new CleanupReport(true, Duration.ofSeconds(5), List.of()),
                        Duration.ofMillis(20500), Optional.empty()));
    }

    @Test
    void junitXmlParsesAndCarriesEveryReason(@TempDir Path dir) throws Exception {
        List<SimulationResult> rs = List.of(result("traces/a.sktrace", List.of()),
                result("traces/b<&>.sktrace", List.of("pod x: bound to node \"decoy\" & more", "second reason")));
        CiReports.write(dir, rs, 1, Map.of(), new PrintStream(new ByteArrayOutputStream()));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("junit.xml").toFile());
        // One test suite per simulation, one test case per check: the first passed none, the second failed two.
        assertEquals(2, doc.getElementsByTagName("testsuite").getLength());
        assertEquals("2", doc.getDocumentElement().getAttribute("tests"));
        assertEquals("2", doc.getDocumentElement().getAttribute("failures"));
        var failure = doc.getElementsByTagName("failure").item(0);
        assertEquals("pod x: bound to node \"decoy\" & more", failure.getAttributes().getNamedItem("message").getNodeValue());
        assertTrue(doc.getElementsByTagName("failure").item(1).getTextContent().contains("second reason"));
        assertEquals("traces/b<&>.sktrace", failure.getParentNode().getAttributes().getNamedItem("classname").getNodeValue());
        assertTrue(Files.readString(dir.resolve("summary.json")).contains("\"exitCode\" : 1"));
    }

    @Test
    void tracesWithoutAVerdictAreErrorTestCases(@TempDir Path dir) throws Exception {
        CiReports.write(dir, List.of(result("ok.sktrace", List.of())),
                List.of(new CiReports.TraceError("bad.sktrace", "bad.sktrace: byte 12: truncated")), 2, Map.of(),
                new PrintStream(new ByteArrayOutputStream()));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("junit.xml").toFile());
        assertEquals("1", doc.getDocumentElement().getAttribute("tests"), "the passed simulation had no checks; the bad trace one error");
        assertEquals("1", doc.getDocumentElement().getAttribute("errors"));
        assertEquals("bad.sktrace: byte 12: truncated",
                doc.getElementsByTagName("error").item(0).getAttributes().getNamedItem("message").getNodeValue());
        assertTrue(Files.readString(dir.resolve("summary.json")).contains("\"error\" : \"bad.sktrace: byte 12: truncated\""));
    }

    @Test
    void exit2And3ListTheTracesWithoutAVerdictInTheJobSummary(@TempDir Path dir) throws Exception {
        Path summary = dir.resolve("step-summary.md");
        CiReports.write(dir.resolve("reports"), List.of(), List.of(new CiReports.TraceError("(cluster)", "kube-apiserver exited")), 3,
                Map.of("GITHUB_ACTIONS", "true", "GITHUB_STEP_SUMMARY", summary.toString()), new PrintStream(new ByteArrayOutputStream()));
        String md = Files.readString(summary);
        assertTrue(md.contains("### skci: environment-error (exit code 3)"), md);
        assertTrue(md.contains("| `(cluster)` | kube-apiserver exited |"), md);
    }

    @Test
    void underGithubActionsWritesAnnotationsSummaryAndOutputs(@TempDir Path dir) throws Exception {
        Path summary = dir.resolve("step-summary.md");
        Path output = dir.resolve("output");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        CiReports.write(dir.resolve("reports"), List.of(result("t.sktrace", List.of("100% broken\nsecond line"))), 1,
                Map.of("GITHUB_ACTIONS", "true", "GITHUB_STEP_SUMMARY", summary.toString(), "GITHUB_OUTPUT", output.toString()),
                new PrintStream(stdout, true));
        // The trace is named once, in the title; the message is the check's own.
        assertEquals("::error title=skci t.sktrace%3A harness::100%25 broken%0Asecond line\n", stdout.toString());
        String md = Files.readString(summary);
        assertTrue(md.contains("#### `t.sktrace`: ❌ failed"), md);
        assertTrue(md.contains("| `harness` | ❌ | 100% broken<br>second line |"), md);
        assertTrue(Files.readString(output).contains("result=failed\nexit-code=1\n"));
    }
}
