package dev.skci.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The parts of an {@code admission.k8s.io/v1} AdmissionReview request skci uses. */
public record AdmissionRequest(
        String uid, String operation, String namespace, String name, String subResource, boolean dryRun,
        ObjectNode object) {

    static AdmissionRequest from(JsonNode review) {
        JsonNode r = review.path("request");
        if (!r.isObject() || !r.path("uid").isTextual()) {
            throw new IllegalArgumentException("not an AdmissionReview request");
        }
        return new AdmissionRequest(
                r.path("uid").textValue(),
                r.path("operation").asText(""),
                r.path("namespace").asText(""),
                r.path("name").asText(""),
                r.path("subResource").asText(""),
                r.path("dryRun").asBoolean(false),
                r.path("object") instanceof ObjectNode o ? o : null);
    }

    /** {@code namespace/name}, or {@code namespace/<generateName>*} before the API server names the pod. */
    public String describe() {
        String n = name;
        if ((n == null || n.isEmpty()) && object != null) {
            n = object.path("metadata").path("generateName").asText("") + "*";
        }
        return namespace + "/" + n;
    }
}
