package dev.skci.autoscaler;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One object from a file the user gave (a NodePool or a KWOKNodeClass), as written.
 *
 * @param where {@code file:line} of the document, for messages
 */
public record Manifest(String where, ObjectNode object) {
    public String kind() {
        return object.path("kind").asText();
    }

    public String name() {
        return object.path("metadata").path("name").asText();
    }

    /** {@code NodePool default (karpenter/pools.yaml:3)}. */
    public String describe() {
        return kind() + " " + name() + " (" + where + ")";
    }
}
