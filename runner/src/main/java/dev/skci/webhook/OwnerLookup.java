package dev.skci.webhook;

import dev.skci.trace.Gvk;
import java.util.List;
import java.util.Optional;

/** Finds the owner references of a namespaced object the simulation's controllers created (ReplicaSets, Jobs...). */
@FunctionalInterface
public interface OwnerLookup {
    /** An owner reference: who owns an object, and whether it is the controlling owner. */
    record OwnerRef(Gvk gvk, String name, boolean controller) {}

    /** The object's owner references, or empty when the object cannot be found. */
    Optional<List<OwnerRef>> ownersOf(String namespace, Gvk gvk, String name);
}
