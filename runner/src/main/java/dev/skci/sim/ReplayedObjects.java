package dev.skci.sim;

import dev.skci.trace.Gvk;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the replayer has applied, keyed by kind, virtual namespace and name. The webhook reads it to map
 * a simulated owner back to the traced object (and that object's production owners) without asking
 * the API server; an entry is registered before its object is applied, so the controller's first pod
 * always finds it.
 */
public final class ReplayedObjects {
    /** A replayed object as the trace knew it. */
    public record Entry(Gvk gvk, String originalNamespace, String name, List<ForeignOwner> foreignOwners) {
        public String originalNsName() {
            return originalNamespace + "/" + name;
        }
    }

    private record Key(Gvk gvk, String namespace, String name) {}

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final Map<Key, Entry> byOriginal = new ConcurrentHashMap<>();

    public void register(String virtualNamespace, Entry e) {
        entries.put(new Key(e.gvk(), virtualNamespace, e.name()), e);
        byOriginal.put(new Key(e.gvk(), e.originalNamespace(), e.name()), e);
    }

    public Optional<Entry> find(Gvk gvk, String virtualNamespace, String name) {
        return Optional.ofNullable(entries.get(new Key(gvk, virtualNamespace, name)));
    }

    /** Looks up by original namespace, for production owners named in the trace. */
    public Optional<Entry> findOriginal(Gvk gvk, String originalNamespace, String name) {
        return Optional.ofNullable(byOriginal.get(new Key(gvk, originalNamespace, name)));
    }
}
