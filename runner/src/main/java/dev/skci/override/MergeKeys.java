package dev.skci.override;

import dev.skci.trace.Gvk;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a strategic-merge patch needs to know about an object's shape: which lists merge by which key
 * instead of being replaced. Only the built-in types a pull request usually touches are described, with
 * the keys Kubernetes declares for them ({@code patchMergeKey} in k8s.io/api): a pod spec's containers,
 * init and ephemeral containers, volumes, image pull secrets, resource claims and scheduling gates by
 * {@code name}, host aliases by {@code ip}, topology spread constraints by {@code topologyKey}; a
 * container's env by {@code name}, ports by {@code containerPort}, volume mounts by {@code mountPath},
 * volume devices by {@code devicePath}; a Service's ports by {@code port}; metadata's owner references by
 * {@code uid} and finalizers as a set. Every other list is replaced as a whole, as Kubernetes does for
 * lists it declares atomic (tolerations, affinity terms, args, command) and as a JSON merge patch does.
 */
public final class MergeKeys {
    /** How one list field merges: by the value of {@code key} in each item, or, for a null key, as a set of scalars. */
    public record ListRule(String key, Type item) {}

    /** The known shape of one object level: typed fields and merging lists. */
    public static final class Type {
        private final Map<String, Type> fields = new HashMap<>();
        private final Map<String, ListRule> lists = new HashMap<>();

        Type field(String name, Type t) {
            fields.put(name, t);
            return this;
        }

        Type list(String name, String key, Type item) {
            lists.put(name, new ListRule(key, item));
            return this;
        }

        /** The type of a field; {@code *} in a pod-template path stands for any field. */
        public Type child(String name) {
            Type t = fields.get(name);
            return t != null ? t : fields.getOrDefault("*", UNKNOWN);
        }

        /** The rule of a list field, or null when the list is replaced as a whole. */
        public ListRule listRule(String name) {
            return lists.get(name);
        }

        private Type copy() {
            Type t = new Type();
            t.fields.putAll(fields);
            t.lists.putAll(lists);
            return t;
        }
    }

    /** A level skci knows nothing about: maps merge, lists are replaced. */
    public static final Type UNKNOWN = new Type();

    static final Type META = new Type().list("ownerReferences", "uid", UNKNOWN).list("finalizers", null, UNKNOWN);
    static final Type CONTAINER = new Type().list("env", "name", UNKNOWN).list("ports", "containerPort", UNKNOWN)
            .list("volumeMounts", "mountPath", UNKNOWN).list("volumeDevices", "devicePath", UNKNOWN);
    static final Type POD_SPEC = new Type().list("containers", "name", CONTAINER).list("initContainers", "name", CONTAINER)
            .list("ephemeralContainers", "name", CONTAINER).list("volumes", "name", UNKNOWN)
            .list("imagePullSecrets", "name", UNKNOWN).list("hostAliases", "ip", UNKNOWN)
            .list("topologySpreadConstraints", "topologyKey", UNKNOWN).list("resourceClaims", "name", UNKNOWN)
            .list("schedulingGates", "name", UNKNOWN);
    static final Type POD_TEMPLATE = new Type().field("metadata", META).field("spec", POD_SPEC);
    static final Type SERVICE_SPEC = new Type().list("ports", "port", UNKNOWN);

    /** Where the built-in kinds keep their pod template (ReplicaSet's real one, not SimKube's {@code /spec}). */
    private static final Map<Gvk, List<String>> BUILTIN_TEMPLATES = Map.of(
            new Gvk("apps", "v1", "Deployment"), List.of("/spec/template"),
            new Gvk("apps", "v1", "StatefulSet"), List.of("/spec/template"),
            new Gvk("apps", "v1", "DaemonSet"), List.of("/spec/template"),
            new Gvk("apps", "v1", "ReplicaSet"), List.of("/spec/template"),
            new Gvk("batch", "v1", "Job"), List.of("/spec/template"),
            new Gvk("batch", "v1", "CronJob"), List.of("/spec/jobTemplate/spec/template"),
            new Gvk("", "v1", "ReplicationController"), List.of("/spec/template"),
            new Gvk("", "v1", "PodTemplate"), List.of("/template"));

    private MergeKeys() {}

    /**
     * The shape of an object of {@code gvk}: built-in kinds as Kubernetes declares them; any other kind with
     * the pod templates its tracer config names ({@code podSpecTemplatePaths}), so that a custom workload's
     * containers merge by name too.
     */
    public static Type of(Gvk gvk, List<String> templatePaths) {
        Type root = new Type().field("metadata", META);
        if (gvk.isCorePod()) {
            return root.field("spec", POD_SPEC);
        }
        if (gvk.equals(new Gvk("", "v1", "Service"))) {
            return root.field("spec", SERVICE_SPEC);
        }
        List<String> paths = BUILTIN_TEMPLATES.getOrDefault(gvk, templatePaths);
        for (String p : paths) {
            if (p.isEmpty()) {
                return root.field("spec", POD_SPEC);
            }
            root = at(root, p.substring(1).split("/"), 0);
        }
        return root;
    }

    /** {@code t} with the pod template type placed at the given pointer tokens. */
    private static Type at(Type t, String[] tokens, int i) {
        Type copy = t.copy();
        String name = tokens[i].replace("~1", "/").replace("~0", "~");
        if (i == tokens.length - 1) {
            return copy.field(name, POD_TEMPLATE);
        }
        Type existing = t.fields.get(name);
        return copy.field(name, at(existing == null ? new Type() : existing, tokens, i + 1));
    }
}
