package dev.skci.trace.hash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * SimKube's "stable" pod-spec hash, the inner key of {@code pod_lifecycles}
 * ({@code sk-core/src/k8s/pod_ext.rs}): the live pod's spec without {@code nodeName},
 * {@code serviceAccount}, {@code serviceAccountName}, the {@code kube-api-access-*} volumes and mounts,
 * and container ports, with nulls dropped (upstream round-trips through the typed PodSpec).
 */
public final class StablePodSpec {
    private StablePodSpec() {}

    private static final String API_ACCESS_PREFIX = "kube-api-access";

    public static long hash(JsonNode podSpec) {
        return JsonHash.hash(stable(podSpec));
    }

    /** The stable form of a pod spec (a new tree; the argument is not changed). */
    public static ObjectNode stable(JsonNode podSpec) {
        ObjectNode spec = podSpec instanceof ObjectNode o ? withoutNulls(o) : JsonNodeFactory.instance.objectNode();
        spec.remove("nodeName");
        spec.remove("serviceAccount");
        spec.remove("serviceAccountName");
        spec.set("volumes", withoutApiAccess(spec.get("volumes")));
        if (spec.get("initContainers") instanceof ArrayNode inits) {
            for (JsonNode c : inits) {
                if (c instanceof ObjectNode co) {
                    co.set("volumeMounts", withoutApiAccess(co.get("volumeMounts")));
                }
            }
        }
        JsonNode containers = spec.get("containers");
        if (containers instanceof ArrayNode cs) {
            for (JsonNode c : cs) {
                if (c instanceof ObjectNode co) {
                    co.set("volumeMounts", withoutApiAccess(co.get("volumeMounts")));
                    co.remove("ports");
                }
            }
        } else {
            spec.putArray("containers"); // containers is required in the typed PodSpec
        }
        return spec;
    }

    private static ArrayNode withoutApiAccess(JsonNode list) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (list instanceof ArrayNode a) {
            for (JsonNode e : a) {
                JsonNode name = e.get("name");
                if (name == null || !name.isTextual() || !name.textValue().startsWith(API_ACCESS_PREFIX)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private static ObjectNode withoutNulls(ObjectNode o) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = withoutNullsAny(e.getValue());
            if (v != null) {
                out.set(e.getKey(), v);
            }
        }
        return out;
    }

    private static JsonNode withoutNullsAny(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n instanceof ObjectNode o) {
            return withoutNulls(o);
        }
        if (n instanceof ArrayNode a) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode e : a) {
                JsonNode v = withoutNullsAny(e);
                if (v != null) {
                    out.add(v);
                }
            }
            return out;
        }
        return n;
    }
}
