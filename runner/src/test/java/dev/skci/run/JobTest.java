package dev.skci.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.ExitCode;
import dev.skci.SkciException;
import dev.skci.cluster.Cluster;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.ClusterStatus;
import dev.skci.observe.PodRecord;
import dev.skci.replay.LatenessRecorder;
import dev.skci.replay.ReplayStats;
import dev.skci.result.CleanupReport;
import dev.skci.result.SimulationResult;
import dev.skci.verdict.Verdict;
import dev.skci.wait.Wait;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole {@code skci run} job without a cluster: which exit code each outcome gets, and reports on every path. */
class JobTest {
    private static SimulationResult result(boolean passed) {
        return new SimulationResult("t.sktrace", "skci-000000", Verdict.ofReasons(passed ? List.of() : List.of("broken")), dev.skci.testing.TestMetrics.empty(),
                new SimulationResult.Replay(new ReplayStats(), new LatenessRecorder()),
                new SimulationResult.Admission(0, 0, 0, 0, List.of()),
                new SimulationResult.Pods(List.<PodRecord>of(), Map.of()),
                new SimulationResult.Harness(List.of(), new CleanupReport(true, Duration.ZERO, List.of()), Duration.ZERO, Optional.empty()));
    }

    @Test
    void exitCodesSayWhoseFaultItIs() {
        assertEquals(ExitCode.PASSED, Job.exitCode(List.of(result(true), result(true)), false, false, null));
        assertEquals(ExitCode.FAILED, Job.exitCode(List.of(result(true), result(false)), false, false, null));
        assertEquals(ExitCode.ENVIRONMENT, Job.exitCode(List.of(), false, false, SkciException.environment("x")));
        assertEquals(ExitCode.INVALID_INPUT, Job.exitCode(List.of(), false, false, SkciException.invalidInput("x")));
        assertEquals(ExitCode.DEADLINE, Job.exitCode(List.of(result(false)), false, true, null), "the deadline beats a verdict");
        assertEquals(ExitCode.DEADLINE, Job.exitCode(List.of(), true, false, SkciException.environment("x")));
    }

    /** A provider that fails (or blocks) when asked to boot; no cluster behaviour is involved. */
    private static ClusterProvider provider(Function<ClusterSpec, Cluster> up) {
        return new ClusterProvider() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public Cluster up(ClusterSpec spec) {
                return up.apply(spec);
            }

            @Override
            public void down(String clusterName) {}

            @Override
            public Optional<ClusterStatus> status(String clusterName) {
                return Optional.empty();
            }
        };
    }

    private static Job.Settings settings(ClusterProvider p, Duration timeout, Path reports, ByteArrayOutputStream console) {
        PrintStream ps = new PrintStream(console, true);
        return new Job.Settings(p, ClusterSpec.defaults(), false, timeout, reports, Map.of(), ps, ps, ps, 1);
    }

    @Test
    void aClusterThatCannotBootIsExit3AndStillWritesTheReports(@TempDir Path reports) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Job.Outcome o = Job.run(List.of(), settings(provider(spec -> {
            throw SkciException.environment("kube-apiserver exited during start-up");
        }), Duration.ofMinutes(1), reports, console), (cl, tr, pl, op, dl) -> {
            throw new AssertionError("no simulation without a cluster");
        });
        assertEquals(ExitCode.ENVIRONMENT, o.exitCode());
        assertEquals("kube-apiserver exited during start-up", o.failure().orElseThrow().getMessage());
        assertTrue(Files.readString(reports.resolve("summary.json")).contains("\"exitCode\" : 3"));
        assertTrue(Files.readString(reports.resolve("junit.xml")).contains("kube-apiserver exited during start-up"));
    }

    @Test
    void theDeadlineInterruptsABootAndIsExit4WithReports(@TempDir Path reports) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        long t = System.nanoTime();
        Job.Outcome o = Job.run(List.of(), settings(provider(spec -> {
            Wait.sleep(Duration.ofSeconds(30)); // a boot that hangs; the wait is interruptible like every wait
            throw new AssertionError("not interrupted");
        }), Duration.ofMillis(300), reports, console), (cl, tr, pl, op, dl) -> null);
        assertEquals(ExitCode.DEADLINE, o.exitCode());
        assertTrue((System.nanoTime() - t) / 1e9 < 10, "stopped at the deadline");
        assertTrue(console.toString().contains("the --timeout of 0 s passed"), console.toString());
        assertTrue(Files.readString(reports.resolve("summary.json")).contains("\"exitCode\" : 4"));
        assertTrue(!Thread.currentThread().isInterrupted(), "the interrupt was handled, once");
    }
}
