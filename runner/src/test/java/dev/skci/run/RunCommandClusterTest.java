package dev.skci.run;

import dev.skci.wait.Deadline;

import dev.skci.result.SimulationResult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.TestData;
import dev.skci.cli.Cli;
import dev.skci.cluster.Cluster;
import dev.skci.cluster.SimNames;
import dev.skci.testing.ClusterTest;
import dev.skci.testing.Poll;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code skci run} as users and CI call it: exit codes, signals, and what is left on the cluster. */
@ClusterTest
class RunCommandClusterTest {

    private static List<String> namespacesWithPrefix(KubernetesClient client, String prefix) {
        return client.namespaces().list().getItems().stream().map(n -> n.getMetadata().getName())
                .filter(n -> n.startsWith(prefix + "-")).toList();
    }

    private static Process skci(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.add("-jar");
        cmd.add(System.getProperty("skci.jar"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void sigtermMidRunCleansUpAndExits143(Cluster cluster, @TempDir Path tmp) throws Exception {
        KubernetesClient client = cluster.client();
        Path log = tmp.resolve("skci.log");
        Process p = skci(log, "run", TestData.sharedTrace("cronjob.sktrace").toString(), "--speed", "1",
                "--kubeconfig", cluster.kubeconfig().toString(), "--namespace-prefix", "sigterm");
        Namespace ns = Poll.until(Duration.ofSeconds(90), "the run to create its virtual namespace", () ->
                client.namespaces().withName("sigterm-default").get());
        String run = ns.getMetadata().getLabels().get(SimNames.LABEL_SIMULATION);
        Poll.until(Duration.ofSeconds(60), "the CronJob to be replayed", () ->
                !client.batch().v1().cronjobs().inNamespace("sigterm-default").list().getItems().isEmpty());
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(150, TimeUnit.SECONDS), "skci exits after cleanup; log:\n" + Files.readString(log));
        String out = Files.readString(log);
        assertEquals(143, p.exitValue(), out);
        assertTrue(out.contains("SIGTERM received"), out);
        assertEquals(List.of(), Cleanup.verify(client, run), out);
        assertEquals(List.of(), namespacesWithPrefix(client, "sigterm"));
    }

    @Test
    void runKilledWithSigkillIsCleanedUpByTheNextRun(Cluster cluster, @TempDir Path tmp) throws Exception {
        KubernetesClient client = cluster.client();
        Process p = skci(tmp.resolve("killed.log"), "run", TestData.sharedTrace("cronjob.sktrace").toString(), "--speed", "1",
                "--kubeconfig", cluster.kubeconfig().toString(), "--namespace-prefix", "killed");
        Namespace ns = Poll.until(Duration.ofSeconds(90), "the run to create its virtual namespace", () ->
                client.namespaces().withName("killed-default").get());
        String dead = ns.getMetadata().getLabels().get(SimNames.LABEL_SIMULATION);
        Poll.until(Duration.ofSeconds(60), "the CronJob to be replayed", () ->
                !client.batch().v1().cronjobs().inNamespace("killed-default").list().getItems().isEmpty());
        p.destroyForcibly(); // SIGKILL: no cleanup at all
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Cleanup.verify(client, dead).isEmpty(), "a killed run leaves its objects behind");
        // Its heartbeat stops; make it as old as a minute of silence would.
        client.genericKubernetesResources(Cleanup.ROOT).withName(dead).edit(r -> {
            r.getMetadata().getAnnotations().put(StaleRuns.ANNOTATION_HEARTBEAT, java.time.Instant.now().minusSeconds(120).toString());
            return r;
        });

        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        dev.skci.trace.codec.TraceFile f = dev.skci.trace.codec.TraceFile.open(TestData.projectTrace("bare-pods.sktrace"));
        SimulationResult r = new SimulationRun(cluster, SimulationRun.Options.defaults().withSpeed(20)
                .withNamespacePrefix("killed").withConsole(new java.io.PrintStream(console, true)), SimulationRun.Hooks.NONE)
                .run(f, dev.skci.replay.ReplayPlan.scan(f, java.util.Optional.empty()), dev.skci.wait.Deadline.after(Duration.ofMinutes(5)));
        assertTrue(r.verdict().passed(), "reasons: " + r.verdict().reasons() + "\n" + console);
        assertTrue(console.toString().contains("removing the leftovers of run " + dead), console.toString());
        assertEquals(List.of(), Cleanup.verify(client, dead));
        assertEquals(List.of(), Cleanup.verify(client, r.runName()));
    }

    @Test
    void corruptTraceExitsTwoWithoutTouchingTheCluster(Cluster cluster, @TempDir Path tmp) throws Exception {
        KubernetesClient client = cluster.client();
        byte[] good = Files.readAllBytes(TestData.sharedTrace("cronjob.sktrace"));
        Path corrupt = tmp.resolve("corrupt.sktrace");
        Files.write(corrupt, java.util.Arrays.copyOf(good, good.length / 2));
        int namespacesBefore = client.namespaces().list().getItems().size();
        Cli.Result r = Cli.run("run", corrupt.toString(), "--kubeconfig", cluster.kubeconfig().toString(),
                "--namespace-prefix", "corrupt", "--report-dir", tmp.resolve("reports").toString());
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith("skci: " + corrupt + ": byte "), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals(namespacesBefore, client.namespaces().list().getItems().size());
        assertEquals(List.of(), namespacesWithPrefix(client, "corrupt"));
        assertTrue(Files.readString(tmp.resolve("reports/junit.xml")).contains("<error message=\"" + corrupt + ": byte "),
                "the invalid trace is an error test case");
    }
}
