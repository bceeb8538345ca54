package dev.skci.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code skci cluster status} reports. {@code kubeconfig} is a path (the --json field has the same
 * name). {@code problems} is empty for a healthy cluster and otherwise says, one line each, what is wrong
 * (a stopped component, an unreachable API server). {@code processes} are the components the provider
 * runs on this host, with their flags (empty for a cluster it does not run).
 */
public record ClusterStatus(
        String name,
        String provider,
        Path kubeconfig,
        boolean apiReachable,
        Map<String, String> componentVersions,
        int nodes,
        int readyNodes,
        int virtualNodes,
        List<String> problems,
        List<Component> processes) {

    public ClusterStatus(String name, String provider, Path kubeconfig, boolean apiReachable, Map<String, String> componentVersions,
            int nodes, int readyNodes, int virtualNodes, List<String> problems) {
        this(name, provider, kubeconfig, apiReachable, componentVersions, nodes, readyNodes, virtualNodes, problems, List.of());
    }

    public boolean healthy() {
        return apiReachable && problems.isEmpty();
    }
}
