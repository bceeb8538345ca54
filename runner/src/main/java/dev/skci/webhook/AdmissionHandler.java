package dev.skci.webhook;

/** Decides one admission request. Must not throw for bad pods: deny them instead. */
@FunctionalInterface
public interface AdmissionHandler {
    /** Decides; may block (an owner lookup may ask the API server), so the server calls it off its event loop. */
    AdmissionResponse handle(AdmissionRequest request);

    /**
     * The same decision if it can be made without blocking (everything it needs is in memory), else null.
     * The server tries this on its event loop first and hops to a thread only for a null: most pods are
     * decided from caches, and the hop costs more than the decision. Must not block, must not record
     * anything when it returns null (the request is then decided again by {@link #handle}).
     */
    default AdmissionResponse handleWithoutBlocking(AdmissionRequest request) {
        return null;
    }
}
