package dev.skci.cluster;

import dev.skci.trace.Gvk;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Built-in API versions Kubernetes stopped serving, and in which minor (the Kubernetes deprecated API migration
 * guide). A trace that applies such a kind cannot be replayed on that version or later: the run says so before
 * the cluster boots. Kinds not listed here are still found by API discovery on the cluster (the discover-kinds step).
 */
public final class ApiRemovals {
    private ApiRemovals() {}

    /** group/version to the minor that no longer serves it, and the kinds people trace under it. */
    private record Removal(int minor, List<String> kinds, String replacement) {}

    private static final Map<String, Removal> REMOVED = Map.ofEntries(
            Map.entry("extensions/v1beta1", new Removal(16, List.of("Deployment", "DaemonSet", "ReplicaSet", "NetworkPolicy",
                    "PodSecurityPolicy"), "apps/v1, networking.k8s.io/v1")),
            Map.entry("apps/v1beta1", new Removal(16, List.of("Deployment", "StatefulSet", "ReplicaSet"), "apps/v1")),
            Map.entry("apps/v1beta2", new Removal(16, List.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"), "apps/v1")),
            Map.entry("networking.k8s.io/v1beta1", new Removal(22, List.of("Ingress", "IngressClass"), "networking.k8s.io/v1")),
            Map.entry("rbac.authorization.k8s.io/v1beta1", new Removal(22, List.of(), "rbac.authorization.k8s.io/v1")),
            Map.entry("scheduling.k8s.io/v1beta1", new Removal(22, List.of("PriorityClass"), "scheduling.k8s.io/v1")),
            Map.entry("coordination.k8s.io/v1beta1", new Removal(22, List.of("Lease"), "coordination.k8s.io/v1")),
            Map.entry("apiextensions.k8s.io/v1beta1", new Removal(22, List.of("CustomResourceDefinition"), "apiextensions.k8s.io/v1")),
            Map.entry("admissionregistration.k8s.io/v1beta1", new Removal(22, List.of(), "admissionregistration.k8s.io/v1")),
            Map.entry("certificates.k8s.io/v1beta1", new Removal(22, List.of(), "certificates.k8s.io/v1")),
            Map.entry("batch/v1beta1", new Removal(25, List.of("CronJob"), "batch/v1")),
            Map.entry("policy/v1beta1", new Removal(25, List.of("PodDisruptionBudget", "PodSecurityPolicy"), "policy/v1")),
            Map.entry("discovery.k8s.io/v1beta1", new Removal(25, List.of("EndpointSlice"), "discovery.k8s.io/v1")),
            Map.entry("events.k8s.io/v1beta1", new Removal(25, List.of("Event"), "events.k8s.io/v1")),
            Map.entry("node.k8s.io/v1beta1", new Removal(25, List.of("RuntimeClass"), "node.k8s.io/v1")),
            Map.entry("autoscaling/v2beta1", new Removal(25, List.of("HorizontalPodAutoscaler"), "autoscaling/v2")),
            Map.entry("autoscaling/v2beta2", new Removal(26, List.of("HorizontalPodAutoscaler"), "autoscaling/v2")),
            Map.entry("flowcontrol.apiserver.k8s.io/v1beta1", new Removal(26, List.of(), "flowcontrol.apiserver.k8s.io/v1")),
            Map.entry("storage.k8s.io/v1beta1", new Removal(27, List.of("CSIStorageCapacity"), "storage.k8s.io/v1")),
            Map.entry("flowcontrol.apiserver.k8s.io/v1beta2", new Removal(29, List.of(), "flowcontrol.apiserver.k8s.io/v1")),
            Map.entry("flowcontrol.apiserver.k8s.io/v1beta3", new Removal(32, List.of(), "flowcontrol.apiserver.k8s.io/v1")));

    /** Why {@code gvk} is not served by Kubernetes 1.{@code minor}, or empty when it may be. */
    public static Optional<String> removed(Gvk gvk, int minor) {
        Removal r = REMOVED.get(gvk.apiVersion());
        if (r == null || minor < r.minor() || !(r.kinds().isEmpty() || r.kinds().contains(gvk.kind()))) {
            return Optional.empty();
        }
        return Optional.of(gvk.kind() + " " + gvk.apiVersion() + " (removed in 1." + r.minor() + "; use " + r.replacement() + ")");
    }
}
