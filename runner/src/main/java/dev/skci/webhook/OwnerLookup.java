package dev.skci.webhook;

import dev.skci.trace.Gvk;
import java.util.List;

/** Finds the owner of an object the simulation's controllers created (a pod's ReplicaSet or Job, and theirs). */
@FunctionalInterface
public interface OwnerLookup {
    /** An owner reference: who owns an object, by kind, name and UID, and whether it is the controlling owner. */
    record OwnerRef(Gvk gvk, String name, String uid, boolean controller) {
        public OwnerRef(Gvk gvk, String name, boolean controller) {
            this(gvk, name, null, controller);
        }
    }

    /** What is known of the object an owner reference names. */
    sealed interface Result permits Found, Gone, Unknown {}

    /** It exists (the same incarnation, when the reference carries a UID); these are its own owner references. */
    record Found(List<OwnerRef> owners) implements Result {}

    /**
     * It no longer exists, or only a newer object of that name does: it was deleted (the trace deleted its
     * owner, a rollout replaced it). The garbage collector removes what it owned, so its pods are benign.
     */
    record Gone(String why) implements Result {}

    /** It could not be looked up (the API server did not answer in time); nothing is known. */
    record Unknown(String why) implements Result {}

    /** Looks up the object {@code ref} names in {@code namespace}; may wait for a cache or ask the API server. */
    Result find(String namespace, OwnerRef ref);

    /** What is known of it without waiting or asking anyone (a cache), or null: then only {@link #find} can tell. */
    default Result cached(String namespace, OwnerRef ref) {
        return null;
    }
}
