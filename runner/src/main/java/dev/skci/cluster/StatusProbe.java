package dev.skci.cluster;

import dev.skci.SkciException;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a {@link ClusterStatus} by asking the API server: its version and the node counts. */
public final class StatusProbe {
    private StatusProbe() {}

    /**
     * @param versions component versions known without asking the cluster (pinned binaries); the API
     *     server's own answer replaces {@code kube-apiserver} when it is reachable
     * @param problems what the provider already knows is wrong; an unreachable API server is added
     */
    public static ClusterStatus observe(String name, String provider, Path kubeconfig, Map<String, String> versions,
            List<String> problems) {
        return observe(name, provider, kubeconfig, versions, problems, List.of());
    }

    /** @param processes the components the provider runs on this host, with their flags */
    public static ClusterStatus observe(String name, String provider, Path kubeconfig, Map<String, String> versions,
            List<String> problems, List<Component> processes) {
        Map<String, String> components = new LinkedHashMap<>(versions);
        List<String> allProblems = new ArrayList<>(problems);
        int nodes = 0;
        int ready = 0;
        int virtual = 0;
        boolean reachable;
        try {
            VersionInfo v = KubeClients.probe(kubeconfig);
            components.put("kube-apiserver", v.getGitVersion());
            try (KubernetesClient client = KubeClients.fromKubeconfig(kubeconfig)) {
                for (Node n : client.nodes().list().getItems()) {
                    nodes++;
                    if (io.fabric8.kubernetes.client.readiness.Readiness.isNodeReady(n)) {
                        ready++;
                    }
                    Map<String, String> labels = n.getMetadata().getLabels();
                    if (labels != null && SimNames.NODE_TYPE_VIRTUAL.equals(labels.get(SimNames.LABEL_NODE_TYPE))) {
                        virtual++;
                    }
                }
            }
            reachable = true;
        } catch (SkciException | KubernetesClientException e) {
            reachable = false;
            String message = e instanceof SkciException ? e.getMessage() : "API server error: " + KubeClients.rootMessage(e);
            if (allProblems.stream().noneMatch(p -> p.contains("API server"))) {
                allProblems.add(message);
            }
        }
        return new ClusterStatus(name, provider, kubeconfig, reachable, components, nodes, ready, virtual, List.copyOf(allProblems),
                List.copyOf(processes));
    }
}
