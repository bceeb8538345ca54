package dev.skci.trace;

/**
 * The outer key of {@code pod_lifecycles}: the owning object's GVK string (as written in the file)
 * and its {@code namespace/name}. A bare pod is its own owner ({@code v1.Pod}, the pod's ns/name).
 */
public record LifecycleOwner(String gvk, String nsName) {
    public Gvk parsedGvk() {
        return Gvk.parse(gvk);
    }
}
