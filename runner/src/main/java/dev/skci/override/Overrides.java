package dev.skci.override;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.cluster.SimNames;
import dev.skci.trace.Gvk;
import dev.skci.trace.KubeObject;
import dev.skci.trace.PodTemplates;
import dev.skci.trace.TrackedKinds;
import dev.skci.trace.hash.StablePodSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The overrides of one simulation, applied to every version of a traced object the replay applies, in
 * the order they are listed (each sees what the previous ones made), and counted: which override patched
 * which object how often, for the reports. The traced object is patched before anything else touches it,
 * so targets name production namespaces. What a patch leaves alone keeps coming from the trace.
 *
 * <p>When a patch changes a pod template's spec, the template gets the production spec's stable hash as
 * {@code static.simkube.io/pod-spec-stable-hash}, so its pods still find their recorded lifecycles.
 */
public final class Overrides {
    /** How often one override patched one object ({@code Deployment shop/web}). */
    public record Use(String override, String target, Map<String, Integer> objects) {
        public Use {
            objects = Map.copyOf(objects);
        }

        public int versions() {
            return objects.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final List<Patch> list;
    private final TrackedKinds kinds;
    private final List<Map<String, Integer>> counts = new ArrayList<>();

    public Overrides(List<Patch> list, TrackedKinds kinds) {
        this.list = List.copyOf(list);
        this.kinds = kinds;
        list.forEach(o -> counts.add(new LinkedHashMap<>()));
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    /**
     * The pull request's version of a traced object: {@code traced} itself when no override matches.
     *
     * @throws StrategicMerge.PatchException naming the override, when one does not apply
     */
    public synchronized KubeObject apply(KubeObject traced) {
        KubeObject current = traced;
        Gvk gvk = traced.gvk();
        if (gvk == null || list.isEmpty()) {
            return traced;
        }
        MergeKeys.Type shape = MergeKeys.of(gvk, kinds.podTemplatePaths(gvk));
        for (int i = 0; i < list.size(); i++) {
            Patch o = list.get(i);
            if (!o.target().matches(current)) {
                continue;
            }
            ObjectNode patched;
            try {
                patched = o.apply(current, shape);
            } catch (StrategicMerge.PatchException e) {
                throw new StrategicMerge.PatchException(o.source() + ": cannot patch " + name(traced) + ": " + e.getMessage());
            }
            KubeObject next = new KubeObject(patched);
            if (!Objects.equals(next.apiVersion(), traced.apiVersion()) || !Objects.equals(next.kind(), traced.kind())
                    || !Objects.equals(next.name(), traced.name()) || !Objects.equals(next.namespace(), traced.namespace())) {
                throw new StrategicMerge.PatchException(o.source() + ": the patch changes the apiVersion, kind, name or namespace of "
                        + name(traced) + "; an override can change an object, not which object it is");
            }
            counts.get(i).merge(name(traced), 1, Integer::sum);
            current = next;
        }
        if (current != traced) {
            keepProductionHashes(traced, current);
        }
        return current;
    }

    /** Which objects each override patched, and how often; in the order the overrides are listed. */
    public synchronized List<Use> uses() {
        List<Use> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(new Use(list.get(i).source(), list.get(i).target().toString(), counts.get(i)));
        }
        return out;
    }

    /** The overrides, as listed. */
    public List<Patch> list() {
        return list;
    }

    /** {@code Deployment shop/web}: how reports name a traced object. */
    public static String name(KubeObject o) {
        return o.kind() + " " + o.nsName();
    }

    private void keepProductionHashes(KubeObject traced, KubeObject patched) {
        List<String> paths = kinds.podTemplatePaths(traced.gvk());
        List<ObjectNode> before = PodTemplates.templates(traced, paths);
        List<ObjectNode> after = PodTemplates.templates(patched, paths);
        if (before.size() != after.size()) {
            return;
        }
        for (int i = 0; i < before.size(); i++) {
            JsonNode was = before.get(i).get("spec");
            JsonNode is = after.get(i).get("spec");
            if (was == null || Objects.equals(was, is)) {
                continue;
            }
            ObjectNode meta = after.get(i).get("metadata") instanceof ObjectNode m ? m : after.get(i).putObject("metadata");
            ObjectNode annotations = meta.get("annotations") instanceof ObjectNode a ? a : meta.putObject("annotations");
            JsonNode recorded = before.get(i).path("metadata").path("annotations").get(SimNames.ANNOTATION_POD_HASH);
            annotations.put(SimNames.ANNOTATION_POD_HASH, recorded != null && recorded.isTextual() ? recorded.textValue()
                    : Long.toUnsignedString(StablePodSpec.hash(was)));
        }
    }
}
