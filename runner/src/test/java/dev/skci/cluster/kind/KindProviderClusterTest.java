package dev.skci.cluster.kind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.TestData;
import dev.skci.cli.Cli;
import dev.skci.cluster.Cluster;
import dev.skci.cluster.KubeClients;
import dev.skci.testing.ClusterExtension;
import dev.skci.testing.OnKind;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --provider kind} itself, on real kind clusters from skci's node image (kind stage only: tag
 * {@code kind}, not {@code cluster}): the cluster it makes (flags, one replica each, nothing pulled, the
 * gateway as webhook host), {@code skci cluster up|status|down}, and that a run tears down only the cluster
 * it booted. Cluster names: the shared {@code skci-kind-it-<pid>} and {@code skci-kind-it-<pid>-{cli,run}}.
 */
@OnKind
@ExtendWith(ClusterExtension.class)
class KindProviderClusterTest {
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    @Test
    void theClusterRunsTheSimulationsControlPlaneAndPullsNothing(Cluster cluster) {
        assertEquals("kind", cluster.provider());
        KubernetesClient client = cluster.client();
        String node = KindProvider.nodeName(cluster.name());

        List<String> cm = command(client, "kube-system", "kube-controller-manager-" + node);
        for (String flag : List.of("--leader-elect=false", "--kube-api-qps=5000", "--kube-api-burst=10000", "--node-monitor-grace-period=1h")) {
            assertTrue(cm.contains(flag), flag + " in " + cm);
        }
        List<String> scheduler = command(client, "kube-system", "kube-scheduler-" + node);
        assertTrue(scheduler.contains("--leader-elect=false") && scheduler.contains("--kube-api-qps=5000"), scheduler.toString());

        for (String d : List.of("cert-manager", "cert-manager-cainjector", "cert-manager-webhook")) {
            Deployment dep = client.apps().deployments().inNamespace("cert-manager").withName(d).get();
            assertEquals(1, dep.getSpec().getReplicas(), d);
            assertEquals(1, dep.getStatus().getAvailableReplicas(), d);
        }
        for (String d : List.of("cert-manager", "cert-manager-cainjector")) {
            List<String> args = client.apps().deployments().inNamespace("cert-manager").withName(d).get().getSpec().getTemplate()
                    .getSpec().getContainers().getFirst().getArgs();
            assertTrue(args.contains("--leader-elect=false"), d + ": " + args);
        }
        Deployment kwok = client.apps().deployments().inNamespace("kube-system").withName("kwok-controller").get();
        assertEquals(1, kwok.getStatus().getAvailableReplicas());

        // Every image was in the node already: the kubelet never pulled one.
        for (String ns : List.of("kube-system", "cert-manager")) {
            for (Event e : client.v1().events().inNamespace(ns).list().getItems()) {
                assertFalse("Pulling".equals(e.getReason()) || "Failed".equals(e.getReason()) && String.valueOf(e.getMessage()).contains("pull"),
                        e.getInvolvedObject().getName() + ": " + e.getReason() + " " + e.getMessage());
            }
        }
        // kube-proxy stays off virtual nodes, so none of their pod slots goes to it.
        for (Pod p : client.pods().inNamespace("kube-system").withLabel("k8s-app", "kube-proxy").list().getItems()) {
            assertEquals(node, p.getSpec().getNodeName(), p.getMetadata().getName());
        }
        // The API server (in the node container) reaches this host at the kind network's gateway.
        KindCli cli = KindCli.find(KindShare.locate(System::getenv).kind());
        assertEquals(cli.gateway("kind"), Optional.of(cluster.webhookHost()));
        assertTrue(cluster.logHint("cert-manager-cainjector.log").contains("logs deployment/cert-manager-cainjector"),
                cluster.logHint("cert-manager-cainjector.log"));
        Map<String, Path> logs = cluster.logFiles();
        for (String f : List.of("kwok-controller.log", "cert-manager-controller.log", "cert-manager-cainjector.log",
                "cert-manager-webhook.log", "control-plane/kube-apiserver.log", "control-plane/etcd.log")) {
            assertTrue(logs.containsKey(f), f + " in " + logs.keySet());
        }
    }

    @Test
    void clusterUpStatusAndDown() throws Exception {
        String name = "skci-kind-it-" + PID + "-cli";
        try {
            Cli.Result up = Cli.run("cluster", "up", "--provider", "kind", "--name", name, "--nodes", "2");
            assertEquals(0, up.exit(), up.toString());
            assertTrue(up.err().contains("creating kind cluster '" + name + "'"), up.err());
            Path kubeconfig = Path.of(up.out().strip());
            assertEquals(dev.skci.cluster.local.PinnedVersions.load().kubernetes(), KubeClients.probe(kubeconfig).getGitVersion());

            Cli.Result status = Cli.run("cluster", "status", "--provider", "kind", "--name", name, "--json");
            assertEquals(0, status.exit(), status.toString());
            JsonNode s = new ObjectMapper().readTree(status.out());
            assertEquals("kind", s.path("provider").asText());
            assertTrue(s.path("healthy").asBoolean(), status.out());
            assertEquals(2, s.path("nodes").path("virtual").asInt(), status.out());
            assertTrue(s.path("components").path("node image").asText().startsWith("skci.local/kind-node:"), status.out());

            Cli.Result again = Cli.run("cluster", "up", "--provider", "kind", "--name", name, "--nodes", "2");
            assertEquals(0, again.exit(), again.toString());
            assertTrue(again.err().contains("is already running; adopting it"), again.err());
            assertEquals(kubeconfig.toString(), again.out().strip());

            Cli.Result down = Cli.run("cluster", "down", "--provider", "kind", "--name", name);
            assertEquals(0, down.exit(), down.toString());
            assertFalse(KindTestClusters.exists(name));
            Cli.Result gone = Cli.run("cluster", "status", "--provider", "kind", "--name", name);
            assertEquals(3, gone.exit(), gone.toString());
            assertEquals(0, Cli.run("cluster", "down", "--provider", "kind", "--name", name).exit(), "down again: nothing to do");
        } finally {
            KindTestClusters.provider(line -> {}).down(name);
        }
    }

    @Test
    void aRunTearsDownTheClusterItBootedAndKeepsTheOneItAdopted(Cluster shared, @TempDir Path tmp) {
        String name = "skci-kind-it-" + PID + "-run";
        String trace = TestData.projectTrace("bare-pods.sktrace").toString();
        try {
            Cli.Result booted = Cli.run("run", trace, "--provider", "kind", "--name", name, "--speed", "20", "--report-dir",
                    tmp.resolve("booted").toString());
            assertEquals(0, booted.exit(), booted.toString());
            assertTrue(booted.err().contains("creating kind cluster '" + name + "'"), booted.err());
            assertFalse(KindTestClusters.exists(name), "booted by the run, so removed by it");
        } finally {
            KindTestClusters.provider(line -> {}).down(name);
        }

        Cli.Result adopted = Cli.run("run", trace, "--provider", "kind", "--name", shared.name(), "--speed", "20", "--report-dir",
                tmp.resolve("adopted").toString());
        assertEquals(0, adopted.exit(), adopted.toString());
        assertTrue(adopted.err().contains("is already running; adopting it"), adopted.err());
        assertTrue(KindTestClusters.exists(shared.name()), "adopted, so left running");
        assertTrue(shared.client().nodes().withName(KindProvider.nodeName(shared.name())).get() != null);
    }

    private static List<String> command(KubernetesClient client, String ns, String pod) {
        Pod p = client.pods().inNamespace(ns).withName(pod).get();
        Container c = p.getSpec().getContainers().getFirst();
        return c.getCommand();
    }
}
