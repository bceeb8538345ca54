package dev.skci.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.cluster.SimNames;
import dev.skci.trace.Gvk;
import dev.skci.trace.KubeObject;
import dev.skci.trace.PodTemplates;
import dev.skci.trace.TrackedKinds;
import dev.skci.sim.ForeignOwner;
import dev.skci.sim.RunIdentity;
import dev.skci.sim.VirtualNamespaces;
import dev.skci.sim.VirtualPlacement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Turns a traced object into the object skci applies in the simulation: in the run's virtual namespace,
 * owned by the run's root, without status, server-set metadata, finalizers or container ports, and with
 * every pod template pointed at the virtual nodes. Bare pods also lose {@code spec.nodeName} (bare-pod
 * problem 2) and the API server's injected {@code kube-api-access-*} volumes.
 */
public final class ObjectTransformer {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Metadata fields skci keeps; everything else is server state, or would get in the way of replay. */
    private static final Set<String> KEPT_METADATA = Set.of("name", "labels", "annotations");
    private static final Set<String> DROPPED_ANNOTATIONS =
            Set.of("kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision");

    /** The applied object, plus the owner references it had in production (kept out of the applied object). */
    public record Transformed(ObjectNode object, List<ForeignOwner> foreignOwners) {}

    private final RunIdentity run;
    private final VirtualNamespaces namespaces;
    private final TrackedKinds kinds;

    public ObjectTransformer(RunIdentity run, VirtualNamespaces namespaces, TrackedKinds kinds) {
        this.run = run;
        this.namespaces = namespaces;
        this.kinds = kinds;
    }

    public Transformed transform(KubeObject traced) {
        ObjectNode obj = traced.node().deepCopy();
        Gvk gvk = traced.gvk();
        String originalNs = traced.namespace();
        obj.remove("status");

        ObjectNode meta = obj.get("metadata") instanceof ObjectNode m ? m : obj.putObject("metadata");
        List<ForeignOwner> foreign = foreignOwners(meta.get("ownerReferences"));
        meta.retain(KEPT_METADATA);
        meta.put("namespace", namespaces.virtualName(originalNs));
        ObjectNode labels = objectAt(meta, "labels");
        labels.put(SimNames.LABEL_SIMULATION, run.name());
        labels.put(SimNames.LABEL_VIRTUAL, "true");
        if (meta.get("annotations") instanceof ObjectNode ann) {
            ann.remove(DROPPED_ANNOTATIONS);
        }
        meta.putArray("ownerReferences").add(run.ownerReference());

        if (gvk.isCorePod()) {
            stripServerPodFields(objectAt(obj, "spec"));
        }
        for (ObjectNode template : PodTemplates.templates(new KubeObject(obj), kinds.podTemplatePaths(gvk))) {
            retarget(template, originalNs);
        }
        return new Transformed(obj, foreign);
    }

    /** Points one pod template (or a bare pod) at the virtual nodes and records what changed. */
    private static void retarget(ObjectNode template, String originalNs) {
        ObjectNode meta = objectAt(template, "metadata");
        ObjectNode annotations = objectAt(meta, "annotations");
        annotations.put(SimNames.ANNOTATION_ORIGINAL_NAMESPACE, originalNs);
        ObjectNode spec = objectAt(template, "spec");

        ObjectNode changes = NODES.objectNode();
        ObjectNode selector = objectAt(spec, "nodeSelector");
        JsonNode previousType = selector.get(SimNames.LABEL_NODE_TYPE);
        changes.set("nodeSelectorType", previousType == null ? NODES.nullNode() : previousType.deepCopy());
        selector.put(SimNames.LABEL_NODE_TYPE, SimNames.NODE_TYPE_VIRTUAL);
        changes.put("tolerationAdded", VirtualPlacement.addKwokToleration(spec));
        annotations.put(SimNames.ANNOTATION_TEMPLATE_CHANGES, changes.toString());

        for (String list : List.of("containers", "initContainers")) {
            if (spec.get(list) instanceof ArrayNode cs) {
                for (JsonNode c : cs) {
                    if (c instanceof ObjectNode co) {
                        // Duplicate ports make server-side apply fail; simulated pods listen on nothing.
                        co.remove("ports");
                    }
                }
            }
        }
    }

    private static void stripServerPodFields(ObjectNode spec) {
        spec.remove("nodeName");
        if (spec.get("volumes") instanceof ArrayNode volumes) {
            removeApiAccess(volumes);
        }
        for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
            if (spec.get(list) instanceof ArrayNode cs) {
                for (JsonNode c : cs) {
                    if (c.get("volumeMounts") instanceof ArrayNode mounts) {
                        removeApiAccess(mounts);
                    }
                }
            }
        }
    }

    /** The projected service-account volume is injected by the API server; let the simulation inject its own. */
    private static void removeApiAccess(ArrayNode list) {
        for (Iterator<JsonNode> it = list.elements(); it.hasNext(); ) {
            if (it.next().path("name").asText("").startsWith("kube-api-access")) {
                it.remove();
            }
        }
    }

    private static List<ForeignOwner> foreignOwners(JsonNode refs) {
        List<ForeignOwner> out = new ArrayList<>();
        if (refs instanceof ArrayNode a) {
            for (JsonNode r : a) {
                String apiVersion = r.path("apiVersion").asText(null);
                String kind = r.path("kind").asText(null);
                String name = r.path("name").asText(null);
                if (apiVersion != null && kind != null && name != null) {
                    out.add(new ForeignOwner(Gvk.of(apiVersion, kind), name));
                }
            }
        }
        return out;
    }

    static ObjectNode objectAt(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n instanceof ObjectNode o) {
            return o;
        }
        return parent.putObject(field);
    }
}
