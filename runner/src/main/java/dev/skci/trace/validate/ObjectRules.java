package dev.skci.trace.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skci.trace.KubeObject;
import java.util.Set;

/**
 * Checks one object on its own: the fields SimKube needs to address it, and that it is namespaced.
 * SimKube's driver assumes every traced object is namespaced (it unwraps the namespace), and skci
 * replays objects into virtual namespaces, so cluster-scoped objects cannot be replayed.
 */
final class ObjectRules {
    private ObjectRules() {}

    /** Kinds that are cluster-scoped in Kubernetes and common add-ons; matched by kind alone. */
    static final Set<String> CLUSTER_SCOPED_KINDS = Set.of(
            "Namespace", "Node", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PriorityClass", "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
            "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "APIService", "CSIDriver", "CSINode",
            "VolumeAttachment", "RuntimeClass", "IngressClass", "CertificateSigningRequest", "FlowSchema",
            "PriorityLevelConfiguration", "ClusterIssuer", "ComponentStatus", "SimulationRoot");

    /** Reports what is missing; returns true when the object is complete enough for the other rules. */
    static boolean check(KubeObject o, String role, int event, long ts, Findings out) {
        String object = o.describe();
        StringBuilder missing = new StringBuilder();
        if (o.apiVersion() == null || o.apiVersion().isEmpty()) {
            missing.append(", apiVersion");
        }
        if (o.kind() == null || o.kind().isEmpty()) {
            missing.append(", kind");
        }
        JsonNode meta = o.metadata();
        if (meta == null || !meta.isObject()) {
            missing.append(", metadata");
        } else if (o.name() == null || o.name().isEmpty()) {
            missing.append(", metadata.name");
        }
        String kind = o.kind();
        boolean clusterScoped = kind != null && CLUSTER_SCOPED_KINDS.contains(kind);
        String ns = o.namespace();
        if (meta != null && meta.isObject() && ns == null && !clusterScoped) {
            missing.append(", metadata.namespace");
        }
        boolean ok = missing.isEmpty();
        if (!ok) {
            out.add(Rule.OBJECT_MISSING_FIELD, event, ts, object, role + " object has no " + missing.substring(2)
                    + "; SimKube cannot address it");
        }
        if (clusterScoped || (ns != null && ns.isEmpty())) {
            out.add(Rule.OBJECT_CLUSTER_SCOPED, event, ts, object, role + " object is cluster-scoped"
                    + (clusterScoped ? "" : " (empty namespace)")
                    + "; skci replays only namespaced objects (into virtual namespaces). Remove it from the trace");
            ok = false;
        }
        return ok;
    }
}
