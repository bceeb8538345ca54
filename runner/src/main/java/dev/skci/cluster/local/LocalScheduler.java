package dev.skci.cluster.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.skci.SkciException;
import dev.skci.cluster.SchedulerConfig;
import dev.skci.wait.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * kube-scheduler's configuration on a local cluster (docs/cluster.md, "The scheduler"). kwokctl starts the scheduler
 * with {@code --config=<cluster>/scheduler.json} (a component patch in kwokctl.yaml), a file skci writes: the user's
 * KubeSchedulerConfiguration, or an empty one for the defaults, with what skci needs set over it: the cluster's
 * kubeconfig, client limits as high as kwokctl's {@code disableQPSLimits} gives the other components (flags are
 * ignored once a config file is given), and leader election off (docs/design.md, "Principles"). Changing it restarts
 * the scheduler alone and waits until its /readyz answers.
 */
final class LocalScheduler {
    static final String API_VERSION = "kubescheduler.config.k8s.io/v1";
    static final String KIND = "KubeSchedulerConfiguration";
    static final String FILE = "scheduler.json";
    /** The component's name, as kwokctl and {@link dev.skci.cluster.Component} know it. */
    static final String COMPONENT = "kube-scheduler";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();
    /** kwokctl's values for its disableQPSLimits. */
    private static final int QPS = 5000;
    private static final int BURST = 10000;
    private static final Duration VALIDATE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private LocalScheduler() {}

    static Path file(ClusterDir dir) {
        return dir.root().resolve(FILE);
    }

    /**
     * The file kube-scheduler runs with: the user's configuration (or none) with skci's client connection and leader
     * election, as JSON (which kube-scheduler reads like YAML).
     *
     * @param kubeconfig the kubeconfig the scheduler uses; null for validation, which uses --master instead
     */
    static String effective(Optional<SchedulerConfig> config, Path kubeconfig) {
        ObjectNode root = config.map(LocalScheduler::parse).orElseGet(() -> {
            ObjectNode n = JSON.createObjectNode();
            n.put("apiVersion", API_VERSION).put("kind", KIND);
            return n;
        });
        ObjectNode client = root.get("clientConnection") instanceof ObjectNode c ? c : root.putObject("clientConnection");
        if (kubeconfig == null) {
            client.remove("kubeconfig");
        } else {
            client.put("kubeconfig", kubeconfig.toString());
        }
        client.put("qps", QPS).put("burst", BURST);
        ObjectNode le = root.get("leaderElection") instanceof ObjectNode l ? l : root.putObject("leaderElection");
        le.put("leaderElect", false);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode parse(SchedulerConfig c) {
        try {
            JsonNode n = YAML.readTree(c.content());
            if (!(n instanceof ObjectNode o)) {
                throw SkciException.invalidInput(c.file() + ": not a KubeSchedulerConfiguration (expected a YAML mapping with "
                        + "apiVersion: " + API_VERSION + " and kind: " + KIND + ")");
            }
            return o.deepCopy();
        } catch (IOException e) {
            throw SkciException.invalidInput(c.file() + ": cannot parse: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * Validates a configuration with the kube-scheduler binary itself, offline: {@code --write-config-to} makes it
     * decode the file strictly, default and validate it, build every profile's plugins (so an unknown plugin or a bad
     * plugin argument is found), write the result and exit, without contacting an API server ({@code --master} points
     * at a port nobody listens on) or serving anything ({@code --secure-port=0}). Invalid input carries its own message.
     */
    static void validate(BinarySet bins, SchedulerConfig config) {
        String content = effective(Optional.of(config), null);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("skci-scheduler-check");
            Path in = dir.resolve("config.json");
            Path out = dir.resolve("written.yaml");
            Path log = dir.resolve("kube-scheduler.log");
            Files.writeString(in, content, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(List.of(bins.kubeScheduler().toString(), "--config=" + in, "--write-config-to=" + out,
                    "--secure-port=0", "--master=https://127.0.0.1:1"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(VALIDATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw SkciException.environment("kube-scheduler did not finish checking " + config.file() + " within "
                        + VALIDATE_TIMEOUT.toSeconds() + " s");
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(out)) {
                throw SkciException.invalidInput(config.file() + ": kube-scheduler " + bins.versions().kubernetes() + " refuses it: "
                        + reason(Files.readString(log, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw SkciException.environment("cannot run " + bins.kubeScheduler() + " to check " + config.file() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            throw SkciException.interrupted("checking the scheduler configuration", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** The scheduler's own error: the {@code err="..."} of its "command failed" line, else its last line. */
    static String reason(String log) {
        List<String> lines = log.lines().filter(l -> !l.isBlank()).toList();
        for (String l : lines.reversed()) {
            int at = l.indexOf("err=\"");
            if (at >= 0) {
                String quoted = l.substring(at + 4);
                try {
                    return JSON.readValue(quoted, String.class);
                } catch (JsonProcessingException e) {
                    return quoted;
                }
            }
        }
        return lines.isEmpty() ? "it exited without a message" : lines.getLast().strip();
    }

    /** Writes the file kwokctl's scheduler is started with, before the cluster is created. */
    static void writeInitial(ClusterDir dir, Optional<SchedulerConfig> config) {
        write(file(dir), effective(config, dir.kwokKubeconfig()));
    }

    /**
     * Makes the running scheduler use {@code config} (empty: the defaults): when the file differs, it is replaced and
     * the scheduler restarted; returns whether it was.
     */
    static boolean apply(ClusterDir dir, Kwokctl kwokctl, Optional<SchedulerConfig> config) {
        String wanted = effective(config, dir.kwokKubeconfig());
        Path file = file(dir);
        String current;
        try {
            current = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (wanted.equals(current)) {
            return false;
        }
        if (current == null) {
            // A cluster booted by an skci that did not give the scheduler a file: its defaults are all it can have.
            if (config.isEmpty()) {
                return false;
            }
            throw SkciException.environment("cluster '" + dir.name() + "' was booted without a scheduler configuration file, so its "
                    + "scheduler cannot be reconfigured; recreate it ('skci cluster down --name " + dir.name() + "')");
        }
        write(file, wanted);
        Path pid = dir.kwokPids().resolve("kube-scheduler.pid");
        HostProcess.stop(pid, dir.marker(), Duration.ofSeconds(10));
        Kwokctl.Result r = kwokctl.startCluster();
        if (!r.ok() || HostProcess.running(pid, dir.marker()).isEmpty()) {
            throw SkciException.environment("kube-scheduler did not restart with " + config.map(Object::toString).orElse("its defaults")
                    + ": " + r.output().lines().reduce((a, b) -> b).orElse("") + " (log: " + dir.kwokLogs().resolve("kube-scheduler.log") + ")");
        }
        awaitReady(dir);
        return true;
    }

    /** Until the scheduler's /readyz (its informers synced) answers ok on its secure port. */
    static void awaitReady(ClusterDir dir) {
        int port = port(dir);
        HttpClient http = HttpClient.newBuilder().sslContext(trustingLoopback()).connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/readyz")).timeout(Duration.ofSeconds(2)).build();
        Wait.poll("kube-scheduler to be ready", READY_TIMEOUT).every(Duration.ofMillis(100))
                .onTimeout(t -> SkciException.environment("kube-scheduler did not report ready within " + READY_TIMEOUT.toSeconds()
                        + " s (log: " + dir.kwokLogs().resolve("kube-scheduler.log") + ")"))
                .until(() -> {
                    if (HostProcess.running(dir.kwokPids().resolve("kube-scheduler.pid"), dir.marker()).isEmpty()) {
                        throw SkciException.environment("kube-scheduler exited after its restart (log: "
                                + dir.kwokLogs().resolve("kube-scheduler.log") + ")");
                    }
                    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 200 ? null : "/readyz says " + r.statusCode();
                });
    }

    /** The scheduler's secure port, from the component kwokctl recorded. */
    static int port(ClusterDir dir) {
        try {
            JsonNode conf = YAML.readTree(dir.kwokCluster().resolve("kwok.yaml").toFile());
            for (JsonNode c : conf.path("components")) {
                if ("kube-scheduler".equals(c.path("name").asText())) {
                    for (JsonNode p : c.path("ports")) {
                        if (p.path("port").asInt() > 0) {
                            return p.path("port").asInt();
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kwokctl's state in " + dir.kwokCluster(), e);
        }
        throw SkciException.environment("kwokctl's state in " + dir.kwokCluster() + " names no kube-scheduler port");
    }

    /**
     * kube-scheduler serves /readyz with a certificate it generated in memory, which nothing can verify; this context is
     * only ever used for that one loopback request to the child process skci started.
     */
    private static SSLContext trustingLoopback() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : new ArrayList<>(files.toList())) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory; nothing depends on it
        }
    }
}
