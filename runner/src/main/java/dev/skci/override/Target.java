package dev.skci.override;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skci.trace.Gvk;
import dev.skci.trace.KubeObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which traced objects an override patches, as kustomize's {@code target} says it: every field given must
 * match, a field left out matches anything. Names and namespaces are exact (kustomize reads them as
 * regular expressions; a plain name means the same in both). Namespaces are the trace's, as production
 * had them, not the run's virtual ones.
 */
public record Target(Optional<String> group, Optional<String> version, Optional<String> kind, Optional<String> namespace,
        Optional<String> name, Optional<LabelSelector> labelSelector, Optional<LabelSelector> annotationSelector) {

    public static final Target ANY = new Target(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    /** The target a strategic-merge patch names by itself: its apiVersion, kind, name and (if given) namespace. */
    public static Target of(Gvk gvk, String namespace, String name) {
        return new Target(Optional.of(gvk.group()), Optional.of(gvk.version()), Optional.of(gvk.kind()),
                Optional.ofNullable(namespace), Optional.of(name), Optional.empty(), Optional.empty());
    }

    public boolean matches(KubeObject o) {
        Gvk gvk = o.gvk();
        if (gvk == null) {
            return false;
        }
        return is(group, gvk.group()) && is(version, gvk.version()) && is(kind, gvk.kind())
                && is(namespace, o.namespace() == null ? "" : o.namespace()) && is(name, o.name())
                && labelSelector.map(s -> s.matches(strings(o.metadata(), "labels"))).orElse(true)
                && annotationSelector.map(s -> s.matches(strings(o.metadata(), "annotations"))).orElse(true);
    }

    private static boolean is(Optional<String> want, String have) {
        return want.isEmpty() || want.get().equals(have);
    }

    private static Map<String, String> strings(JsonNode meta, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        if (meta != null && meta.get(field) != null && meta.get(field).isObject()) {
            meta.get(field).properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    /** For messages: {@code kind Deployment, namespace shop, name web}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        group.filter(g -> !g.isEmpty()).ifPresent(g -> parts.add("group " + g));
        version.ifPresent(v -> parts.add("version " + v));
        kind.ifPresent(k -> parts.add("kind " + k));
        namespace.ifPresent(n -> parts.add("namespace " + n));
        name.ifPresent(n -> parts.add("name " + n));
        labelSelector.ifPresent(s -> parts.add("labels " + s));
        annotationSelector.ifPresent(s -> parts.add("annotations " + s));
        return parts.isEmpty() ? "every object" : String.join(", ", parts);
    }
}
