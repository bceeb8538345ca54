package dev.skci.cluster.local;

import dev.skci.SkciException;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.KwokStages;
import dev.skci.cluster.NodePool;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.skci.cluster.Component;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import dev.skci.wait.Wait;

/** The processes kwokctl starts for a local cluster, and when they count as up. */
final class ControlPlane {
    /** Components kwokctl's binary runtime starts by default, named as in its pids/ and logs/ directories. */
    static final List<String> COMPONENTS =
            List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok-controller");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ControlPlane() {}

    /**
     * Returns once every component's process runs and the API server reports /readyz ok; fails fast,
     * naming the component and its last log line, when one of them has exited.
     */
    static void awaitReady(ClusterDir dir, KubernetesClient client, Duration timeout) {
        Wait.poll("the control plane to be ready", timeout).every(Duration.ofMillis(50))
                .onTimeout(t -> SkciException.environment("the API server did not report ready within " + timeout.toSeconds()
                        + "s (log: " + dir.kwokLogs().resolve("kube-apiserver.log") + ")"))
                .until(() -> {
                    for (String component : COMPONENTS) {
                        if (HostProcess.running(dir.kwokPids().resolve(component + ".pid"), dir.marker()).isEmpty()) {
                            throw SkciException.environment(component + " exited during start-up: " + lastLogLine(dir, component)
                                    + " (log: " + dir.kwokLogs().resolve(component + ".log") + ")");
                        }
                    }
                    return readyz(client) ? null : "/readyz is not ok yet";
                });
    }

    /**
     * Restarts the KWOK controller through kwokctl. kwokctl starts the controller before the API server
     * answers and installs the Stage CRD only afterwards, so the controller's Stage informer first fails
     * and then retries with client-go's growing backoff: skci's stages would take effect 1-5 s late. A
     * controller started once the CRD exists sees them at once; a restart costs about 0.1 s.
     */
    static void restartKwokController(ClusterDir dir, Kwokctl kwokctl) {
        HostProcess.stop(dir.kwokPids().resolve("kwok-controller.pid"), dir.marker(), Duration.ofSeconds(5));
        Kwokctl.Result r = kwokctl.startCluster();
        if (!r.ok() || HostProcess.running(dir.kwokPids().resolve("kwok-controller.pid"), dir.marker()).isEmpty()) {
            throw SkciException.environment("could not restart the KWOK controller: " + lastLogLine(dir, "kwok-controller")
                    + " (log: " + dir.kwokLogs().resolve("kwok-controller.log") + ")");
        }
    }

    /**
     * kwokctl's components as they run now: each one's flags come from its process while it runs, else
     * from the configuration kwokctl starts it with ({@code kwok.yaml} in its cluster directory).
     */
    static List<Component> components(ClusterDir dir) {
        // kwok.yaml is parsed only for a component whose live command line cannot be read: ClusterWatch asks for the
        // components every few seconds, and parsing the YAML each time was a visible share of the runner's CPU.
        Map<String, List<String>> configured = null;
        List<Component> out = new ArrayList<>();
        for (String name : COMPONENTS) {
            OptionalLong pid = HostProcess.running(dir.kwokPids().resolve(name + ".pid"), dir.marker());
            List<String> argv = pid.isPresent() ? ProcFs.argv(pid.getAsLong()).orElse(List.of()) : List.of();
            if (argv.isEmpty()) {
                if (configured == null) {
                    configured = configuredCommandLines(dir);
                }
                argv = configured.getOrDefault(name, List.of());
            }
            out.add(new Component(name, pid.isPresent(), argv, Optional.empty(), dir.kwokLogs().resolve(name + ".log")));
        }
        return out;
    }

    /** Component name to binary and args, from kwokctl's rendered configuration; empty when it cannot be read. */
    private static Map<String, List<String>> configuredCommandLines(ClusterDir dir) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try {
            JsonNode root = YAML.readTree(dir.kwokCluster().resolve("kwok.yaml").toFile());
            for (JsonNode c : root.path("components")) {
                List<String> argv = new ArrayList<>();
                argv.add(c.path("binary").asText(c.path("name").asText()));
                c.path("args").forEach(a -> argv.add(a.asText()));
                out.put(c.path("name").asText(), argv);
            }
        } catch (IOException | RuntimeException e) {
            // no configuration yet (or it is being rewritten): the flags are unknown for now
        }
        return out;
    }

    /** Loads the classes the first requests need (fabric8's HTTP client, the model, skci's manifests). */
    static void warmUp() {
        KwokStages.load();
        NodePool.virtualNodes(ClusterSpec.defaultPools());
        Config offline = Config.empty();
        offline.setMasterUrl("https://127.0.0.1:1");
        try (KubernetesClient c = new KubernetesClientBuilder().withConfig(offline).build()) {
            c.getHttpClient();
        }
    }

    private static boolean readyz(KubernetesClient client) {
        try {
            return "ok".equals(client.raw("/readyz"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String lastLogLine(ClusterDir dir, String component) {
        Path log = dir.kwokLogs().resolve(component + ".log");
        try {
            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "no output" : lines.getLast().strip();
        } catch (IOException e) {
            return "no log";
        }
    }
}
