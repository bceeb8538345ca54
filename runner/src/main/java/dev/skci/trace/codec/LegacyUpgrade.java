package dev.skci.trace.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.trace.BuiltinKinds;
import dev.skci.trace.Gvk;
import dev.skci.trace.KubeObject;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.LifecycleOwner;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.PodLifecycles;
import dev.skci.trace.TraceIndex;
import dev.skci.trace.TracerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upgrades the pre-version-2 layouts to the version-2 model. SimKube itself cannot read these files
 * any more. The old tables are keyed by {@code namespace/name} only, so the GVK of each entry is taken
 * from the objects in the events; anything that cannot be placed is dropped with a note.
 */
final class LegacyUpgrade {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final List<String> notes;

    LegacyUpgrade(List<String> notes) {
        this.notes = notes;
    }

    /** v0 {@code {podSpecPath}} and v1 {@code {podSpecTemplatePath, trackLifecycle}} become v2.6-style settings. */
    TracerConfig config(ObjectNode raw) {
        ObjectNode tracked = NODES.objectNode();
        JsonNode old = raw.get("trackedObjects");
        if (old instanceof ObjectNode o) {
            o.fields().forEachRemaining(e -> {
                String key = e.getKey();
                Gvk gvk;
                try {
                    gvk = Gvk.parse(key);
                } catch (IllegalArgumentException ex) {
                    notes.add("legacy config entry '" + key + "' is not a GVK and was dropped");
                    return;
                }
                JsonNode v = e.getValue();
                String path = null;
                for (String field : List.of("podSpecTemplatePath", "podSpecPath")) {
                    JsonNode p = v.get(field);
                    if (p != null && p.isTextual()) {
                        path = p.textValue();
                    }
                }
                JsonNode plural = v.get("podSpecTemplatePaths");
                ObjectNode settings = NODES.objectNode();
                List<String> builtin = BuiltinKinds.POD_TEMPLATE_PATHS.get(gvk);
                if (builtin != null) {
                    if (path != null && !List.of(path).equals(builtin)) {
                        notes.add("legacy path '" + path + "' for " + gvk + " replaced by the built-in " + builtin);
                    }
                    builtin.forEach(settings.putArray("podSpecTemplatePaths")::add);
                } else if (plural != null && plural.isArray()) {
                    settings.set("podSpecTemplatePaths", plural.deepCopy());
                } else if (path != null) {
                    settings.putArray("podSpecTemplatePaths").add(path);
                } else {
                    settings.putNull("podSpecTemplatePaths");
                }
                JsonNode track = v.get("trackLifecycle");
                if (track != null && track.isBoolean() && track.booleanValue()) {
                    settings.put("trackLifecycle", true);
                }
                tracked.set(gvk.toString(), settings);
            });
        } else {
            notes.add("legacy config has no trackedObjects map; an empty one is used");
        }
        ObjectNode root = NODES.objectNode();
        root.set("trackedObjects", tracked);
        return new TracerConfig(root);
    }

    TraceIndex index(Map<String, Long> flat, Map<String, String> gvkByNsName, TracerConfig config) {
        Map<String, Map<String, Long>> byGvk = new LinkedHashMap<>();
        List<String> tracked = new ArrayList<>();
        config.trackedObjects().fieldNames().forEachRemaining(tracked::add);
        int dropped = 0;
        for (Map.Entry<String, Long> e : flat.entrySet()) {
            String gvk = gvkByNsName.get(e.getKey());
            if (gvk == null && tracked.size() == 1) {
                gvk = tracked.get(0);
            }
            if (gvk == null) {
                dropped++;
                continue;
            }
            byGvk.computeIfAbsent(gvk, k -> new LinkedHashMap<>()).put(e.getKey(), e.getValue());
        }
        if (dropped > 0) {
            notes.add(dropped + " legacy index entries name objects that appear in no event, so their kind is unknown; they were dropped");
        }
        return new TraceIndex(byGvk);
    }

    PodLifecycles lifecycles(Map<String, Map<Long, List<PodLifecycle>>> flat, TraceIndex index) {
        Map<LifecycleOwner, Map<Long, List<PodLifecycle>>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<Long, List<PodLifecycle>>> e : flat.entrySet()) {
            String gvk = null;
            for (Map.Entry<String, Map<String, Long>> idx : index.entries().entrySet()) {
                if (idx.getValue().containsKey(e.getKey())) {
                    gvk = idx.getKey();
                    break;
                }
            }
            if (gvk == null) {
                notes.add("legacy lifecycles of '" + e.getKey() + "' dropped: the owner is not in the index");
                continue;
            }
            out.put(new LifecycleOwner(gvk, e.getKey()), e.getValue());
        }
        return new PodLifecycles(out);
    }

    /**
     * Legacy deleted-object stubs may carry only metadata; give them the apiVersion and kind of the
     * applied object with the same namespace/name.
     */
    static TraceEvent fillStubGvks(TraceEvent e, Map<String, String> gvkByNsName) {
        boolean needed = false;
        for (KubeObject o : e.deleted()) {
            needed |= o.gvk() == null;
        }
        if (!needed) {
            return e;
        }
        List<KubeObject> deleted = new ArrayList<>();
        for (KubeObject o : e.deleted()) {
            String gvk = o.gvk() == null && o.name() != null ? gvkByNsName.get(o.nsName()) : null;
            if (gvk == null) {
                deleted.add(o);
                continue;
            }
            Gvk g = Gvk.parse(gvk);
            ObjectNode filled = NODES.objectNode();
            filled.put("apiVersion", g.apiVersion());
            filled.put("kind", g.kind());
            o.node().fields().forEachRemaining(f -> {
                if (!f.getKey().equals("apiVersion") && !f.getKey().equals("kind")) {
                    filled.set(f.getKey(), f.getValue());
                }
            });
            deleted.add(new KubeObject(filled));
        }
        return new TraceEvent(e.ts(), e.applied(), deleted);
    }
}
