package dev.skci.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClusterWatch's decision alone, on a provider whose component list is given (no process, no API server: the stall
 * timeout is far away). A scheduler the provider restarts on purpose is not a dead component; the same scheduler
 * stopped without that mark is.
 */
class ClusterWatchTest {
    @Test
    void aComponentTheProviderRestartsOnPurposeIsNotReported(@TempDir Path tmp) throws Exception {
        List<String> problems = watchFor(tmp, Set.of("kube-scheduler"));
        assertEquals(List.of(), problems);
    }

    @Test
    void theSameComponentStoppedWithoutTheMarkIsReported(@TempDir Path tmp) throws Exception {
        List<String> problems = watchFor(tmp, Set.of());
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().startsWith("kube-scheduler exited ("), problems.getFirst());
    }

    /** Watches, for 1.5 s (six component checks), a cluster whose kube-scheduler does not run. */
    private static List<String> watchFor(Path tmp, Set<String> restarting) throws Exception {
        Path kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """);
        Path log = tmp.resolve("kube-scheduler.log");
        Files.writeString(log, "I1202 stopping\n");
        Component stopped = new Component("kube-scheduler", false, List.of("kube-scheduler", "--config=x"), Optional.empty(), log);
        Component running = new Component("etcd", true, List.of("etcd"), Optional.empty(), tmp.resolve("etcd.log"));
        List<String> problems = new CopyOnWriteArrayList<>();
        try (ClusterWatch w = ClusterWatch.start(new Fake(kubeconfig, List.of(running, stopped), restarting), Duration.ofMinutes(5),
                problems::add)) {
            Thread.sleep(1_500);
        }
        return problems;
    }

    private record Fake(Path kubeconfig, List<Component> components, Set<String> restarting) implements Cluster {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String provider() {
            return "fake";
        }

        @Override
        public KubernetesClient client() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String webhookHost() {
            return "127.0.0.1";
        }

        @Override
        public boolean bootedHere() {
            return false;
        }

        @Override
        public String logHint(String component) {
            return component;
        }

        @Override
        public Map<String, Path> logFiles() {
            return Map.of();
        }

        @Override
        public Optional<CertManagerProcesses> certManager() {
            return Optional.empty();
        }

        @Override
        public void close() {}
    }
}
