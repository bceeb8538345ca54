package dev.skci.cluster;

import java.nio.file.Path;
import java.util.Map;

/** What {@code skci cluster status} reports. {@code kubeconfig} is a path (the --json field has the same name). */
public record ClusterStatus(
        String name,
        String provider,
        Path kubeconfig,
        boolean apiReachable,
        Map<String, String> componentVersions,
        int nodes,
        int readyNodes,
        int virtualNodes) {}
