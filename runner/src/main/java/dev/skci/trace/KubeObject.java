package dev.skci.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One Kubernetes object from a trace event: a flat map with {@code apiVersion}, {@code kind},
 * {@code metadata} and the body keys, kept exactly as read (key order, int vs float, uint64), so that
 * re-encoding is byte-identical. Accessors return {@code null} for missing or mistyped fields; the
 * validator reports those.
 */
public record KubeObject(ObjectNode node) {

    public KubeObject {
        Objects.requireNonNull(node);
    }

    public String apiVersion() {
        return text(node.get("apiVersion"));
    }

    public String kind() {
        return text(node.get("kind"));
    }

    public JsonNode metadata() {
        return node.get("metadata");
    }

    public String name() {
        JsonNode m = metadata();
        return m == null ? null : text(m.get("name"));
    }

    public String namespace() {
        JsonNode m = metadata();
        return m == null ? null : text(m.get("namespace"));
    }

    /** The GVK from apiVersion/kind, or null when either is missing. */
    public Gvk gvk() {
        String av = apiVersion();
        String k = kind();
        return av == null || k == null || av.isEmpty() || k.isEmpty() ? null : Gvk.of(av, k);
    }

    /** {@code namespace/name}, or just {@code name} without a namespace, as trace keys spell it. */
    public String nsName() {
        String ns = namespace();
        String n = name();
        return ns == null || ns.isEmpty() ? n : ns + "/" + n;
    }

    /** Human-readable identity for messages: {@code batch/v1 CronJob default/hello}. */
    public String describe() {
        String av = apiVersion();
        String k = kind();
        return (av == null ? "<no apiVersion>" : av) + " " + (k == null ? "<no kind>" : k) + " "
                + (name() == null ? "<no name>" : nsName());
    }

    public JsonNode get(String field) {
        return node.get(field);
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.textValue() : null;
    }
}
