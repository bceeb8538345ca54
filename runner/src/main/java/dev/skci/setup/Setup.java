package dev.skci.setup;

import dev.skci.SkciException;
import dev.skci.trace.Gvk;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The setup objects of one simulation (the global list, then its entry's), checked as a whole: no object
 * twice. It knows, before the cluster is asked, which trace-side namespaces the objects need, so the run
 * creates them as virtual namespaces along with the trace's.
 */
public record Setup(List<SetupObject> objects) {
    public static final Setup NONE = new Setup(List.of());

    /** The combined list; an object named twice is invalid input. */
    public static Setup of(List<SetupObject> objects) {
        Map<String, String> seen = new HashMap<>();
        for (SetupObject o : objects) {
            String key = o.gvk().group() + "/" + o.gvk().kind() + " " + o.namespace() + "/" + o.name();
            String before = seen.putIfAbsent(key, o.where());
            if (before != null) {
                throw SkciException.invalidInput(o.where() + ": " + o.describe() + " is already in the setup (" + before
                        + "); give each object once");
            }
        }
        return new Setup(objects);
    }

    public Setup {
        objects = List.copyOf(objects);
    }

    public boolean isEmpty() {
        return objects.isEmpty();
    }

    /** The kinds this setup's CustomResourceDefinitions define. */
    public Set<Gvk> definedKinds() {
        Set<Gvk> out = new LinkedHashSet<>();
        for (SetupObject o : objects) {
            if (o.isCrd()) {
                SetupKinds.definedBy(o.object()).forEach(d -> out.add(d.gvk()));
            }
        }
        return out;
    }

    /**
     * The trace-side namespaces the setup puts objects in or declares (a Namespace manifest), and
     * {@code default} for namespaced objects that name none.
     */
    public Set<String> namespaces() {
        Set<Gvk> clusterScopedCrs = new HashSet<>();
        for (SetupObject o : objects) {
            if (o.isCrd()) {
                SetupKinds.definedBy(o.object()).stream().filter(d -> !d.namespaced()).forEach(d -> clusterScopedCrs.add(d.gvk()));
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (SetupObject o : objects) {
            if (o.isNamespace()) {
                out.add(o.name());
            } else if (o.namespace() != null) {
                out.add(o.namespace());
            } else if (!SetupKinds.knownClusterScoped(o.gvk()) && !clusterScopedCrs.contains(o.gvk())) {
                out.add("default");
            }
        }
        return out;
    }
}
