package dev.skci.autoscaler;

import dev.skci.cluster.SimNames;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Karpenter's objects on the cluster: finding, explaining and removing them. */
public final class KarpenterObjects {
    public static final ResourceDefinitionContext NODE_POOLS = context("karpenter.sh", "v1", "NodePool", "nodepools");
    public static final ResourceDefinitionContext NODE_CLAIMS = context("karpenter.sh", "v1", "NodeClaim", "nodeclaims");
    public static final ResourceDefinitionContext NODE_CLASSES = context(KarpenterManifests.NODE_CLASS_GROUP, "v1alpha1",
            KarpenterManifests.NODE_CLASS, "kwoknodeclasses");
    /** Karpenter's event source ({@code mgr.GetEventRecorderFor("karpenter")}). */
    static final String EVENT_SOURCE = "karpenter";
    /** The taint Karpenter puts on a node it has not registered yet. */
    static final String UNREGISTERED_TAINT = "karpenter.sh/unregistered";

    /**
     * A node Karpenter made, and whether it carries skci's virtual-node markers (the label, the taint, KWOK's
     * annotation), so the webhook's pods land on it and KWOK's stages keep it Ready.
     */
    public record MadeNode(String name, String nodePool, boolean labelled, boolean tainted, boolean kwok, boolean ready) {
        public boolean virtual() {
            return labelled && tainted && kwok;
        }

        /** What it lacks, e.g. {@code "label type=virtual, taint kwok-provider"}; empty when it is a virtual node. */
        public String lacks() {
            List<String> l = new ArrayList<>();
            if (!labelled) {
                l.add("label " + KarpenterPlan.markerLabel());
            }
            if (!tainted) {
                l.add("taint " + KarpenterPlan.markerTaint());
            }
            if (!kwok) {
                l.add("annotation " + SimNames.ANNOTATION_KWOK_NODE + "=" + SimNames.KWOK_NODE_FAKE);
            }
            return String.join(", ", l);
        }
    }

    private KarpenterObjects() {}

    private static ResourceDefinitionContext context(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind).withPlural(plural)
                .withNamespaced(false).build();
    }

    /** A node Karpenter's KWOK provider made: it has the NodePool label or KWOK's provider id. */
    static boolean made(Node n) {
        Map<String, String> labels = n.getMetadata().getLabels();
        String provider = n.getSpec() == null ? null : n.getSpec().getProviderID();
        return labels != null && labels.containsKey(Karpenter.NODEPOOL_LABEL)
                || provider != null && provider.startsWith(Karpenter.PROVIDER_PREFIX);
    }

    public static List<MadeNode> nodes(KubernetesClient client) {
        return client.nodes().list().getItems().stream().filter(KarpenterObjects::made).map(KarpenterObjects::describe).toList();
    }

    public static MadeNode describe(Node n) {
        Map<String, String> labels = n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
        Map<String, String> annotations = n.getMetadata().getAnnotations() == null ? Map.of() : n.getMetadata().getAnnotations();
        var taints = n.getSpec() == null || n.getSpec().getTaints() == null ? List.<io.fabric8.kubernetes.api.model.Taint>of()
                : n.getSpec().getTaints();
        // Karpenter creates a node with only its karpenter.sh/unregistered NoExecute taint, which keeps every pod off, and
        // swaps it for the NodePool's taints when it registers the node: until then the node counts as tainted.
        boolean tainted = taints.stream().anyMatch(t -> UNREGISTERED_TAINT.equals(t.getKey())
                || SimNames.TAINT_KWOK_PROVIDER.equals(t.getKey()) && KarpenterPlan.TAINT_EFFECT.equals(t.getEffect()));
        boolean ready = n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        return new MadeNode(n.getMetadata().getName(), labels.get(Karpenter.NODEPOOL_LABEL),
                SimNames.NODE_TYPE_VIRTUAL.equals(labels.get(SimNames.LABEL_NODE_TYPE)), tainted,
                SimNames.KWOK_NODE_FAKE.equals(annotations.get(SimNames.ANNOTATION_KWOK_NODE)), ready);
    }

    /** The condition of {@code type} in an object's status, if it has one. */
    @SuppressWarnings("unchecked")
    static Optional<Map<String, Object>> condition(GenericKubernetesResource r, String type) {
        Object status = r.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> s) || !(s.get("conditions") instanceof List<?> conditions)) {
            return Optional.empty();
        }
        for (Object c : conditions) {
            if (c instanceof Map<?, ?> m && type.equals(m.get("type"))) {
                return Optional.of((Map<String, Object>) m);
            }
        }
        return Optional.empty();
    }

    /** Deletes NodeClaims, nodes Karpenter made, NodePools and node classes, each with its finalizers removed first. */
    static void deleteAll(KubernetesClient client) {
        for (ResourceDefinitionContext kind : List.of(NODE_CLAIMS, NODE_POOLS, NODE_CLASSES)) {
            List<GenericKubernetesResource> items;
            try {
                items = client.genericKubernetesResources(kind).list().getItems();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    continue; // the CRD is not installed: nothing of this kind exists
                }
                throw e;
            }
            for (GenericKubernetesResource r : items) {
                var one = client.genericKubernetesResources(kind).withName(r.getMetadata().getName());
                unfinalize(() -> one.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}"));
                unfinalize(one::delete);
            }
        }
        for (Node n : client.nodes().list().getItems()) {
            if (made(n)) {
                var one = client.nodes().withName(n.getMetadata().getName());
                unfinalize(() -> one.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}"));
                unfinalize(one::delete);
            }
        }
    }

    private static void unfinalize(Runnable call) {
        try {
            call.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                throw e;
            }
        }
    }

    /** What of Karpenter is still on the cluster ("NodeClaim default-abcde", "node kwok-..."). */
    static List<String> left(KubernetesClient client) {
        List<String> left = new ArrayList<>();
        for (ResourceDefinitionContext kind : List.of(NODE_CLAIMS, NODE_POOLS, NODE_CLASSES)) {
            try {
                client.genericKubernetesResources(kind).list().getItems()
                        .forEach(r -> left.add(kind.getKind() + " " + r.getMetadata().getName()));
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
        client.nodes().list().getItems().stream().filter(KarpenterObjects::made).forEach(n -> left.add("node " + n.getMetadata().getName()));
        return left;
    }

    /**
     * Why Karpenter did not give pods a node, in a few lines: its FailedScheduling events on the run's pods (grouped by
     * message, with a count of pods), and each NodePool's limits next to what it uses. Empty when Karpenter said nothing.
     */
    static List<String> explain(KubernetesClient client, List<String> namespaces) {
        Map<String, Integer> byMessage = new TreeMap<>();
        for (String ns : namespaces) {
            for (Event e : client.v1().events().inNamespace(ns).withField("reason", "FailedScheduling").list().getItems()) {
                String source = e.getSource() == null ? null : e.getSource().getComponent();
                if (EVENT_SOURCE.equals(source) || EVENT_SOURCE.equals(e.getReportingComponent())) {
                    byMessage.merge(e.getMessage(), 1, Integer::sum);
                }
            }
        }
        List<String> out = new ArrayList<>();
        byMessage.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(3)
                .forEach(e -> out.add(e.getValue() + " pod(s): \"" + abbreviate(e.getKey()) + "\""));
        out.addAll(limitLines(client.genericKubernetesResources(NODE_POOLS).list().getItems(), byMessage.keySet()));
        return out;
    }

    /**
     * Each NodePool's limits, when they may be why pods got no node: "is at its limits" once its usage reached one, and
     * "sets limits" (with the usage) while some remains but Karpenter's messages point at limits or at no instance type
     * being large enough. The second matters because Karpenter keeps only the instance types that fit in what a limit
     * leaves before it tries the pods: when the small ones left cannot hold a pod beside their overhead, its message is
     * "no instance type has enough resources", not "exceed limits" (seen in CI with limits.cpu 4 and pods of 1 CPU).
     */
    static List<String> limitLines(List<GenericKubernetesResource> pools, java.util.Collection<String> messages) {
        boolean pointsAtLimits = messages.stream().anyMatch(m -> m.contains("limit") || m.contains("enough resources"));
        List<String> out = new ArrayList<>();
        for (GenericKubernetesResource pool : pools) {
            Map<String, String> reached = reachedLimits(pool, false);
            if (!reached.isEmpty()) {
                out.add(limitLine(pool, "is at its limits", reached));
            } else if (pointsAtLimits) {
                Map<String, String> set = reachedLimits(pool, true);
                if (!set.isEmpty()) {
                    out.add(limitLine(pool, "sets limits", set));
                }
            }
        }
        return out;
    }

    private static String limitLine(GenericKubernetesResource pool, String what, Map<String, String> limits) {
        return "NodePool " + pool.getMetadata().getName() + " " + what + ": "
                + String.join(", ", limits.entrySet().stream().map(e -> "limits." + e.getKey() + " " + e.getValue()).toList());
    }

    /** Karpenter's messages can list every requirement of a NodePool; the first 240 characters say what matters. */
    static String abbreviate(String message) {
        return message.length() <= 240 ? message : message.substring(0, 237) + "...";
    }

    /**
     * The NodePool's limits with its usage ({@code cpu -> "4 (4 in use)"}): those it has reached, or with {@code all},
     * every one it sets (Karpenter said a limit stopped it, and a pod's request may be what tips it over).
     */
    @SuppressWarnings("unchecked")
    static Map<String, String> reachedLimits(GenericKubernetesResource pool, boolean all) {
        Map<String, String> out = new LinkedHashMap<>();
        Object spec = pool.getAdditionalProperties().get("spec");
        Object status = pool.getAdditionalProperties().get("status");
        if (!(spec instanceof Map<?, ?> s) || !(s.get("limits") instanceof Map<?, ?> limits)) {
            return out;
        }
        Map<String, Object> used = status instanceof Map<?, ?> st && st.get("resources") instanceof Map<?, ?> r
                ? (Map<String, Object>) r : Map.of();
        for (var e : ((Map<String, Object>) limits).entrySet()) {
            Quantity limit = new Quantity(String.valueOf(e.getValue()));
            Quantity use = new Quantity(String.valueOf(used.getOrDefault(e.getKey(), "0")));
            if (all || use.getNumericalAmount().compareTo(limit.getNumericalAmount()) >= 0) {
                out.put(e.getKey(), e.getValue() + " (" + used.getOrDefault(e.getKey(), "0") + " in use)");
            }
        }
        return out;
    }
}
