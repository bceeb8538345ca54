package dev.skci.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;

/** What the webhook answers: allowed (optionally with a JSON patch) or denied with a reason. */
public record AdmissionResponse(boolean allowed, String message, ArrayNode patch) {
    public static AdmissionResponse allow() {
        return new AdmissionResponse(true, null, null);
    }

    public static AdmissionResponse mutate(ArrayNode patch, String summary) {
        return new AdmissionResponse(true, summary, patch);
    }

    public static AdmissionResponse deny(String message) {
        return new AdmissionResponse(false, message, null);
    }

    public String decision() {
        return !allowed ? "denied" : patch != null && !patch.isEmpty() ? "mutated" : "allowed";
    }
}
