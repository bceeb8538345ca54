package dev.skci.diagnostics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.skci.cluster.Cluster;
import dev.skci.readiness.GateResult;
import dev.skci.webhook.RequestLog;
import dev.skci.webhook.WebhookRegistration;
import dev.skci.autoscaler.KarpenterObjects;
import dev.skci.certs.CertManager;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * The bundle a failed run leaves behind (postmortem remediation 5): everything needed to tell a webhook,
 * certificate or KWOK problem from a real regression, without access to the cluster, which is gone by
 * the time anyone looks. Collected before cleanup. Every item is collected on its own; one that fails
 * becomes an {@code .error.txt} entry, so collecting never hides the failure being reported.
 */
public final class Diagnostics {
    /** Logs are tailed to this size; the end is what matters. */
    static final long MAX_LOG_BYTES = 4L << 20;

    /** What to collect for one run. */
    public record Scope(String runName, List<String> namespaces, String certNamespace, List<GateResult> gates,
            List<String> problems, List<RequestLog.Entry> requests) {}

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private Diagnostics() {}

    /** Writes {@code <reportDir>/<run>-diagnostics.tar.gz} and returns its path. */
    public static Path write(Path reportDir, Cluster cluster, Scope scope) throws IOException {
        Files.createDirectories(reportDir);
        Path out = reportDir.resolve(scope.runName() + "-diagnostics.tar.gz");
        KubernetesClient client = cluster.client();
        try (OutputStream file = Files.newOutputStream(out);
                GzipCompressorOutputStream gz = new GzipCompressorOutputStream(file);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            add(tar, "summary.txt", () -> "run " + scope.runName() + "\n\n" + String.join("\n", scope.problems()) + "\n");
            add(tar, "gates.json", () -> JSON.writeValueAsString(scope.gates()));
            add(tar, "webhook-requests.json", () -> JSON.writeValueAsString(scope.requests()));
            // The API server may be why the run stopped (a stall, a dead etcd): ask it once, briefly, and
            // when it does not answer skip what only it can tell instead of waiting for each item.
            Api api = new Api(apiUnavailable(cluster));
            api.add(tar, "webhook-configuration.yaml", () -> Serialization.asYaml(client.admissionRegistration().v1()
                    .mutatingWebhookConfigurations().withName(WebhookRegistration.name(scope.runName())).get()));
            if (scope.certNamespace() != null) {
                api.add(tar, "certificates.yaml", () -> certManagerObjects(client, scope.certNamespace()));
            }
            api.add(tar, "events.yaml", () -> events(client, scope));
            api.add(tar, "pods.yaml", () -> {
                StringBuilder b = new StringBuilder();
                for (String ns : scope.namespaces()) {
                    b.append(Serialization.asYaml(client.pods().inNamespace(ns).list().getItems().stream().map(Redaction::pod).toList()));
                }
                return b.toString();
            });
            api.add(tar, "nodes.yaml", () -> Serialization.asYaml(client.nodes().list()));
            if (api.up() && karpenterInstalled(client)) {
                api.add(tar, "karpenter.yaml", () -> karpenterObjects(client)); // its log is among the cluster's logs
            }
            add(tar, "components.txt", () -> components(cluster));
            addLogs(tar, cluster.logFiles());
        }
        return out;
    }

    /** Each process the provider runs for the cluster: whether it runs, and its full command line (its flags). */
    private static String components(Cluster cluster) {
        StringBuilder b = new StringBuilder();
        for (dev.skci.cluster.Component c : cluster.components()) {
            b.append(c.name()).append(c.running() ? " (running)" : " (NOT RUNNING" + c.exitStatus().map(x -> ", " + x).orElse("") + ")")
                    .append("\n  ").append(String.join(" \\\n    ", c.commandLine())).append("\n");
        }
        return b.length() == 0 ? "the " + cluster.provider() + " provider runs no processes for this cluster on this host\n" : b.toString();
    }

    private static String certManagerObjects(KubernetesClient client, String ns) {
        StringBuilder b = new StringBuilder();
        for (ResourceDefinitionContext ctx : List.of(CertManager.ISSUERS, CertManager.CERTIFICATES,
                CertManager.CERTIFICATE_REQUESTS)) {
            b.append(Serialization.asYaml(client.genericKubernetesResources(ctx).inNamespace(ns).list()));
        }
        return b.toString();
    }

    /** Whether Karpenter's CRDs are on the cluster; a question the API server does not answer counts as no. */
    private static boolean karpenterInstalled(KubernetesClient client) {
        try {
            return client.apiextensions().v1().customResourceDefinitions().withName("nodepools.karpenter.sh").get() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Karpenter's NodePools (with their status: limits in use, conditions), NodeClaims and KWOK node classes. */
    private static String karpenterObjects(KubernetesClient client) {
        StringBuilder b = new StringBuilder();
        for (ResourceDefinitionContext ctx : List.of(KarpenterObjects.NODE_POOLS, KarpenterObjects.NODE_CLAIMS,
                KarpenterObjects.NODE_CLASSES)) {
            b.append(Serialization.asYaml(client.genericKubernetesResources(ctx).list()));
        }
        return b.toString();
    }

    private static String events(KubernetesClient client, Scope scope) {
        List<Event> all = new ArrayList<>();
        List<String> namespaces = new ArrayList<>(scope.namespaces());
        if (scope.certNamespace() != null) {
            namespaces.add(scope.certNamespace());
        }
        for (String ns : namespaces) {
            all.addAll(client.v1().events().inNamespace(ns).list().getItems());
        }
        all.sort(Comparator.comparing(e -> String.valueOf(e.getLastTimestamp() != null ? e.getLastTimestamp() : e.getEventTime())));
        return Serialization.asYaml(all);
    }

    /** Each log's tail: the end is what matters. */
    private static void addLogs(TarArchiveOutputStream tar, Map<String, Path> logs) throws IOException {
        for (Map.Entry<String, Path> log : logs.entrySet()) {
            String name = "logs/" + log.getKey();
            try (RandomAccessFile raf = new RandomAccessFile(log.getValue().toFile(), "r")) {
                long size = raf.length();
                long from = Math.max(0, size - MAX_LOG_BYTES);
                byte[] tail = new byte[(int) (size - from)];
                raf.seek(from);
                raf.readFully(tail);
                entry(tar, name, tail);
            } catch (IOException e) {
                entry(tar, name + ".error.txt", String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Why the API server cannot be asked now, or null when it answers (one short question). */
    private static String apiUnavailable(Cluster cluster) {
        try (KubernetesClient prober = dev.skci.cluster.KubeClients.prober(cluster.kubeconfig())) {
            return "ok".equals(prober.raw("/readyz")) ? null : "its /readyz is not ok";
        } catch (RuntimeException e) {
            return dev.skci.Failures.rootMessage(e);
        }
    }

    /** Items only the API server can give; once it has not answered, the rest are skipped with the reason. */
    private static final class Api {
        private String down;

        Api(String down) {
            this.down = down;
        }

        /** False once the API server did not answer. */
        boolean up() {
            return down == null;
        }

        void add(TarArchiveOutputStream tar, String name, Callable<String> content) throws IOException {
            if (down != null) {
                entry(tar, name + ".error.txt", ("not collected: the API server did not answer (" + down + ")\n")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            Diagnostics.add(tar, name, () -> {
                try {
                    return content.call();
                } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                    if (e.getCode() <= 0) {
                        down = dev.skci.Failures.rootMessage(e);
                    }
                    throw e;
                }
            });
        }
    }

    private static void add(TarArchiveOutputStream tar, String name, Callable<String> content) throws IOException {
        byte[] bytes;
        String entryName = name;
        try {
            String s = content.call();
            bytes = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            entryName = name + ".error.txt";
            bytes = ("could not collect " + name + ": " + e).getBytes(StandardCharsets.UTF_8);
        }
        entry(tar, entryName, bytes);
    }

    private static void entry(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        e.setModTime(System.currentTimeMillis());
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** The entry names in a bundle; for tests and for printing what was collected. */
    public static List<String> entries(Path bundle) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = Files.newInputStream(bundle);
                var gz = new org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream(in);
                var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(gz)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
