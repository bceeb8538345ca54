package dev.skci.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds an RFC 6902 JSON patch; keys containing '/' or '~' are escaped. */
final class JsonPatch {
    private final ArrayNode ops = JsonNodeFactory.instance.arrayNode();

    static String pointer(String... tokens) {
        StringBuilder b = new StringBuilder();
        for (String t : tokens) {
            b.append('/').append(t.replace("~", "~0").replace("/", "~1"));
        }
        return b.toString();
    }

    JsonPatch add(String path, JsonNode value) {
        ObjectNode op = ops.addObject();
        op.put("op", "add");
        op.put("path", path);
        op.set("value", value);
        return this;
    }

    JsonPatch add(String path, String value) {
        return add(path, JsonNodeFactory.instance.textNode(value));
    }

    JsonPatch remove(String path) {
        ObjectNode op = ops.addObject();
        op.put("op", "remove");
        op.put("path", path);
        return this;
    }

    ArrayNode ops() {
        return ops;
    }
}
