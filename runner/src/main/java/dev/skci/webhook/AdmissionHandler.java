package dev.skci.webhook;

/** Decides one admission request. Must not throw for bad pods: deny them instead. */
@FunctionalInterface
public interface AdmissionHandler {
    AdmissionResponse handle(AdmissionRequest request);
}
