package dev.skci.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.cli.Cli;
import dev.skci.cluster.Cluster;
import dev.skci.testing.ClusterTest;
import dev.skci.trace.TestTraces;
import dev.skci.testing.Workloads;
import dev.skci.trace.TraceEvent;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces come from production: a run that fails (so its diagnostics bundle is written too) on a trace
 * full of secrets leaves none of them in any report: not env values, not ConfigMap or Secret data, not
 * annotation values. Names stay.
 */
@ClusterTest
class RedactionClusterTest {
    private static final List<String> SECRETS = List.of("ENV-VALUE-7f3a", "ANNOTATION-VALUE-9c1d", "CONFIGMAP-DATA-2b8e",
            "SECRET-DATA-5e0f", "ARG-VALUE-4d2c");

    @Test
    void reportsTimelineAndDiagnosticsHoldNamesButNoValues(Cluster cluster, @TempDir Path tmp) throws Exception {
        var app = Workloads.deployment("prod", "payments", 2, "100m", Map.of("DB_PASSWORD", SECRETS.get(0)),
                Map.of("team.example/owner-token", SECRETS.get(1)));
        ((com.fasterxml.jackson.databind.node.ObjectNode) app.node().at("/spec/template/spec/containers/0"))
                .putArray("args").add("--token=" + SECRETS.get(4));
        var cm = TestTraces.obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'settings','namespace':'prod'},"
                + "'data':{'dsn':'" + SECRETS.get(2) + "'}}");
        var secret = TestTraces.obj("{'apiVersion':'v1','kind':'Secret','metadata':{'name':'creds','namespace':'prod'},"
                + "'stringData':{'key':'" + SECRETS.get(3) + "'}}");
        Path trace = Workloads.write(tmp, "prod.sktrace", List.of(new TraceEvent(Workloads.T0, List.of(cm, secret, app), List.of()),
                new TraceEvent(Workloads.T0 + 20, List.of(), List.of())));
        Path reports = tmp.resolve("reports");
        Cli.Result r = Cli.run("run", trace.toString(), "--kubeconfig", cluster.kubeconfig().toString(), "--namespace-prefix", "redact",
                "--speed", "10", "--report-dir", reports.toString(), "--expect", "forced-failure=pods.created > 100");
        assertEquals(1, r.exit(), r.toString());
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.walk(reports)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (f.toString().endsWith(".tar.gz")) {
                    texts.addAll(bundle(f));
                } else {
                    texts.add(f + "\n" + Files.readString(f));
                }
            }
        }
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("diagnostics pods.yaml\n") && t.contains("payments")),
                "a bundle with the simulated pods was written");
        String all = String.join("\n", texts) + r.out() + r.err();
        for (String s : SECRETS) {
            for (String t : texts) {
                assertTrue(!t.contains(s), s + " leaked into " + t.lines().findFirst().orElse(""));
            }
            assertTrue(!(r.out() + r.err()).contains(s), s + " leaked into the console");
        }
        assertTrue(all.contains("DB_PASSWORD") && all.contains("team.example/owner-token"), "names stay");
    }

    private static List<String> bundle(Path f) throws Exception {
        List<String> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(f); var gz = new GzipCompressorInputStream(in); var tar = new TarArchiveInputStream(gz)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                tar.transferTo(b);
                out.add("diagnostics " + e.getName() + "\n" + b.toString(StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
