package dev.skci.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.cluster.SimNames;

/**
 * What sends a simulated pod to the virtual nodes: the {@code type=virtual} nodeSelector and the
 * toleration of the {@code kwok-provider} taint (docs/design.md, "Names on the cluster"). The replayer
 * writes them into pod templates; the webhook into every pod it admits.
 */
public final class VirtualPlacement {
    private VirtualPlacement() {}

    /** The toleration of the virtual nodes' taint. */
    public static ObjectNode kwokToleration() {
        ObjectNode t = JsonNodeFactory.instance.objectNode();
        t.put("key", SimNames.TAINT_KWOK_PROVIDER);
        t.put("operator", "Exists");
        t.put("effect", "NoSchedule");
        return t;
    }

    /** True when the pod spec already tolerates the virtual nodes' taint. */
    public static boolean toleratesKwok(JsonNode spec) {
        if (spec.get("tolerations") instanceof ArrayNode tolerations) {
            for (JsonNode t : tolerations) {
                if (SimNames.TAINT_KWOK_PROVIDER.equals(t.path("key").asText(null))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Adds the toleration to a pod spec unless one is there; returns whether it was added. */
    public static boolean addKwokToleration(ObjectNode spec) {
        if (toleratesKwok(spec)) {
            return false;
        }
        ArrayNode tolerations = spec.get("tolerations") instanceof ArrayNode a ? a : spec.putArray("tolerations");
        tolerations.add(kwokToleration());
        return true;
    }
}
