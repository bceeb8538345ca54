package dev.skci.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The tracer configuration copied into the trace ({@code config}), kept exactly as read so it
 * re-encodes byte-identically. {@link TrackedKinds#normalize} gives the checked, defaulted view.
 */
public record TracerConfig(ObjectNode raw) {

    public TracerConfig {
        Objects.requireNonNull(raw);
    }

    public static TracerConfig empty() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putObject("trackedObjects");
        return new TracerConfig(root);
    }

    /** The {@code trackedObjects} map, or null when it is missing or not a map. */
    public ObjectNode trackedObjects() {
        JsonNode n = raw.get("trackedObjects");
        return n instanceof ObjectNode o ? o : null;
    }
}
