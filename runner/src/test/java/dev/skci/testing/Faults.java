package dev.skci.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.cluster.local.LocalCluster;
import dev.skci.testing.Workloads;
import dev.skci.trace.KubeObject;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.TestTraces;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fault injection on the real local cluster for tests: {@code skci run} as a separate process on the
 * test JVM's shared cluster (adopted by name, so the run watches the same processes), a fault injected
 * into one of the cluster's processes once the replay runs, and what came out: the exit code, the
 * console, the reports. Signals go to processes by pid with {@code kill} (an argument list, no shell).
 */
public final class Faults {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RUN = Pattern.compile("run (skci-[0-9a-f]{6}): replaying");

    private Faults() {}

    /** What one faulted run produced. {@code faultAt} and {@code exitedAt} are System.nanoTime() values. */
    public record Outcome(int exit, String log, Path reports, String runName, long faultAt, long exitedAt) {
        public JsonNode summary() throws IOException {
            return JSON.readTree(reports.resolve("summary.json").toFile());
        }

        public Duration exitAfterFault() {
            return Duration.ofNanos(exitedAt - faultAt);
        }

        @Override
        public String toString() {
            return "exit " + exit + ", run " + runName + "\n" + log;
        }
    }

    /** Something done to the cluster once the replay has run for a while; it may block (a stall). */
    @FunctionalInterface
    public interface Fault {
        void inject() throws Exception;
    }

    /**
     * A trace that keeps the API busy for {@code seconds} of trace time: a Deployment of three pods from
     * the start (deleted at the end, so cleanup has pods to remove) and one ConfigMap every two seconds,
     * so a stall makes the events due during it visibly late.
     */
    public static Path steadyTrace(Path dir, int seconds) {
        long t0 = Workloads.T0;
        KubeObject web = Workloads.deployment("fault", "web", 3, "100m", Map.of(), Map.of());
        List<TraceEvent> events = new ArrayList<>();
        events.add(new TraceEvent(t0, List.of(web), List.of()));
        for (int i = 1; i * 2 < seconds; i++) {
            events.add(new TraceEvent(t0 + i * 2L, List.of(TestTraces.obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':"
                    + "{'name':'tick-" + i + "','namespace':'fault'},'data':{'i':'" + i + "'}}")), List.of()));
        }
        events.add(new TraceEvent(t0 + seconds, List.of(), List.of(web)));
        return Workloads.write(dir, "steady-" + seconds + "s.sktrace", events);
    }

    /**
     * Runs {@code skci run trace} on {@code cluster} (the local provider, adopting it by name), waits until
     * it replays, waits {@code after}, injects {@code fault}, and waits (up to {@code timeout}) for the exit.
     */
    public static Outcome run(LocalCluster cluster, Path tmp, Path trace, Duration after, Fault fault, Duration timeout,
            String... extra) throws Exception {
        Path log = Files.createTempFile(tmp, "skci-", ".log");
        Path reports = tmp.resolve("reports-" + System.nanoTime());
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.add("-jar");
        cmd.add(System.getProperty("skci.jar"));
        cmd.addAll(List.of("run", trace.toString(), "--provider", "local", "--name", cluster.name(),
                "--nodes", Integer.toString(SharedCluster.NODES), "--report-dir", reports.toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long faultAt;
        try {
            Poll.until(Duration.ofSeconds(180), "the run to start replaying", () -> read(log).contains("replaying\n")
                    || !p.isAlive());
            assertTrue(p.isAlive(), "skci ended before replaying:\n" + read(log));
            Thread.sleep(after.toMillis());
            faultAt = System.nanoTime();
            if (fault != null) {
                fault.inject();
            }
            assertTrue(p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS), "skci did not exit within " + timeout.toSeconds()
                    + " s after the fault:\n" + read(log));
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        long exitedAt = System.nanoTime();
        String out = read(log);
        Matcher m = RUN.matcher(out);
        return new Outcome(p.exitValue(), out, reports, m.find() ? m.group(1) : null, faultAt, exitedAt);
    }

    /** {@code skci run trace} on {@code cluster} without a fault: the "next run on the same cluster". */
    public static Outcome run(LocalCluster cluster, Path tmp, Path trace, String... extra) throws Exception {
        return run(cluster, tmp, trace, Duration.ZERO, null, Duration.ofMinutes(5), extra);
    }

    /** The pid of a component of {@code cluster}: the control plane's from kwokctl's pid files, cert-manager's from skci's. */
    public static long pid(LocalCluster cluster, String component) throws IOException {
        Path kwok = cluster.workdir().resolve("kwok/clusters").resolve(cluster.name()).resolve("pids").resolve(component + ".pid");
        Path own = cluster.workdir().resolve("pids").resolve(component + ".pid");
        return Long.parseLong(Files.readString(Files.exists(kwok) ? kwok : own).strip());
    }

    /** Sends {@code signal} (KILL, STOP, CONT) to {@code pid}. */
    public static void signal(long pid, String signal) throws Exception {
        Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertTrue(k.waitFor(10, TimeUnit.SECONDS) && k.exitValue() == 0, "kill -" + signal + " " + pid);
    }

    /** Stops {@code component} with SIGSTOP for {@code d}, then lets it continue: an API or etcd stall. */
    public static Fault stall(LocalCluster cluster, String component, Duration d) {
        return () -> {
            long pid = pid(cluster, component);
            signal(pid, "STOP");
            try {
                Thread.sleep(d.toMillis());
            } finally {
                signal(pid, "CONT");
            }
        };
    }

    public static Fault kill(LocalCluster cluster, String component) {
        return () -> signal(pid(cluster, component), "KILL");
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }
}
