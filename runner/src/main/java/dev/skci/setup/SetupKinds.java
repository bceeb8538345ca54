package dev.skci.setup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skci.trace.Gvk;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What skci knows about kinds before it can ask the cluster: the built-in kinds that are cluster-scoped
 * (so a setup object without a namespace needs no {@code default} namespace, and one with a namespace is
 * a mistake), and the kinds a setup CustomResourceDefinition defines.
 */
final class SetupKinds {
    static final Gvk CRD = new Gvk("apiextensions.k8s.io", "v1", "CustomResourceDefinition");

    /** Built-in cluster-scoped kinds, by group and kind (any version). */
    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "/Namespace", "/PersistentVolume", "/Node", "/ComponentStatus",
            "scheduling.k8s.io/PriorityClass", "storage.k8s.io/StorageClass", "storage.k8s.io/CSIDriver",
            "storage.k8s.io/CSINode", "storage.k8s.io/VolumeAttachment", "rbac.authorization.k8s.io/ClusterRole",
            "rbac.authorization.k8s.io/ClusterRoleBinding", "apiextensions.k8s.io/CustomResourceDefinition",
            "apiregistration.k8s.io/APIService", "admissionregistration.k8s.io/MutatingWebhookConfiguration",
            "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
            "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
            "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
            "admissionregistration.k8s.io/MutatingAdmissionPolicy",
            "admissionregistration.k8s.io/MutatingAdmissionPolicyBinding", "node.k8s.io/RuntimeClass",
            "networking.k8s.io/IngressClass", "networking.k8s.io/IPAddress", "networking.k8s.io/ServiceCIDR",
            "flowcontrol.apiserver.k8s.io/FlowSchema", "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
            "certificates.k8s.io/CertificateSigningRequest", "resource.k8s.io/DeviceClass", "resource.k8s.io/ResourceSlice",
            "cert-manager.io/ClusterIssuer");

    private SetupKinds() {}

    static boolean knownClusterScoped(Gvk gvk) {
        return CLUSTER_SCOPED.contains(gvk.group() + "/" + gvk.kind());
    }

    /** A kind a setup CRD defines: every served version, and whether its objects are namespaced. */
    record Defined(Gvk gvk, boolean namespaced) {}

    /** The kinds {@code crd} (a CustomResourceDefinition manifest) defines. */
    static List<Defined> definedBy(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        String group = spec.path("group").asText("");
        String kind = spec.path("names").path("kind").asText("");
        boolean namespaced = !"Cluster".equals(spec.path("scope").asText("Namespaced"));
        List<Defined> out = new ArrayList<>();
        for (JsonNode v : spec.path("versions")) {
            if (v.path("served").asBoolean(true) && !v.path("name").asText("").isEmpty() && !group.isEmpty() && !kind.isEmpty()) {
                out.add(new Defined(new Gvk(group, v.path("name").asText(), kind), namespaced));
            }
        }
        return out;
    }
}
