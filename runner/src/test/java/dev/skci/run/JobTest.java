package dev.skci.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.ExitCode;
import dev.skci.Failures;
import io.fabric8.kubernetes.client.KubernetesClientException;
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

    private static Optional<Failures.Outcome> failed(Throwable t) {
        return Optional.of(Failures.classify(t, ExitCode.DEADLINE));
    }

    @Test
    void exitCodesSayWhoseFaultItIs() {
        assertEquals(ExitCode.PASSED, Job.exitCode(List.of(result(true), result(true)), Optional.empty(), Optional.empty()));
        assertEquals(ExitCode.FAILED, Job.exitCode(List.of(result(true), result(false)), Optional.empty(), Optional.empty()));
        assertEquals(ExitCode.ENVIRONMENT, Job.exitCode(List.of(), Optional.empty(), failed(SkciException.environment("x"))));
        assertEquals(ExitCode.INVALID_INPUT, Job.exitCode(List.of(), Optional.empty(), failed(SkciException.invalidInput("x"))));
        Failures.Outcome oom = failed(new OutOfMemoryError("Java heap space")).orElseThrow();
        assertEquals(ExitCode.ENVIRONMENT, oom.code(), "a heap too small for the simulation is the machine's sizing, not a bug");
        assertTrue(oom.message().contains("SKCI_JAVA_OPTS=-Xmx"), oom.message());
        assertEquals(ExitCode.DEADLINE, Job.exitCode(List.of(result(false)), Optional.of(new Stop.Reason(ExitCode.DEADLINE, "t")),
                Optional.empty()), "the deadline beats a verdict");
        assertEquals(ExitCode.ENVIRONMENT, Job.exitCode(List.of(result(false)),
                Optional.of(new Stop.Reason(ExitCode.ENVIRONMENT, "kube-scheduler exited")), Optional.empty()),
                "a dead component beats a verdict: the simulation did not really happen");
        assertEquals(ExitCode.ENVIRONMENT, Job.exitCode(List.of(), Optional.empty(),
                failed(new KubernetesClientException("The timeout of 10000 ms has been exceeded"))), "the API not answering");
        assertEquals(ExitCode.INTERNAL_ERROR, Job.exitCode(List.of(result(false)), Optional.empty(),
                failed(new NullPointerException("x"))), "a bug is not the change's failure");
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
        assertEquals("kube-apiserver exited during start-up", o.failure().orElseThrow().message());
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

    @Test
    void aBugIsExit70AndStillWritesTheReports(@TempDir Path reports) throws Exception {
        Job.Outcome o = Job.run(List.of(), settings(provider(spec -> {
            throw new NullPointerException("a bug");
        }), Duration.ofMinutes(1), reports, new ByteArrayOutputStream()), (cl, tr, pl, op, dl) -> null);
        assertEquals(ExitCode.INTERNAL_ERROR, o.exitCode());
        assertTrue(o.failure().orElseThrow().bug());
        assertEquals("internal error: java.lang.NullPointerException: a bug", o.failure().get().message());
        assertTrue(Files.readString(reports.resolve("summary.json")).contains("\"exitCode\" : 70"));
        assertTrue(Files.readString(reports.resolve("summary.json")).contains("\"result\" : \"internal-error\""));
        assertTrue(Files.readString(reports.resolve("junit.xml")).contains("a bug"));
    }

    @Test
    void anApiServerThatDoesNotAnswerIsExit3WithReports(@TempDir Path reports) throws Exception {
        Job.Outcome o = Job.run(List.of(), settings(provider(spec -> {
            throw new KubernetesClientException("The timeout of 10000 ms has been exceeded when getting a connection");
        }), Duration.ofMinutes(1), reports, new ByteArrayOutputStream()), (cl, tr, pl, op, dl) -> null);
        assertEquals(ExitCode.ENVIRONMENT, o.exitCode());
        assertTrue(o.failure().orElseThrow().message().startsWith("the API server did not answer: The timeout"), o.failure().get().message());
        assertTrue(Files.readString(reports.resolve("junit.xml")).contains("The timeout of 10000 ms"));
    }

    @Test
    void reportsThatCannotBeWrittenAreExit3NamingTheDirectory(@TempDir Path tmp) throws Exception {
        Path reports = tmp.resolve("reports");
        Files.writeString(reports, "not a directory");
        Job.Outcome o = Job.run(List.of(), settings(provider(spec -> {
            throw new NullPointerException("a bug");
        }), Duration.ofMinutes(1), reports, new ByteArrayOutputStream()), (cl, tr, pl, op, dl) -> null);
        assertEquals(ExitCode.ENVIRONMENT, o.exitCode(), "without reports, CI has nothing to go by: the environment's fault");
        String m = o.failure().orElseThrow().message();
        assertTrue(m.startsWith("cannot write the reports into " + reports + ": "), m);
        assertTrue(m.contains("the run itself ended as 'internal-error' (70): internal error: java.lang.NullPointerException: a bug"), m);
    }
}
