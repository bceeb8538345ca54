package dev.skci.trace.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.trace.Gvk;
import dev.skci.trace.KubeObject;
import dev.skci.trace.LifecycleOwner;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.PodLifecycles;
import dev.skci.trace.Trace;
import dev.skci.source.SourceException;
import dev.skci.source.SourceFile;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.TraceSchema;
import dev.skci.trace.TraceIndex;
import dev.skci.trace.TraceTime;
import dev.skci.trace.TracerConfig;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the JSON or YAML shape of {@code docs/trace-json.md} into a version-2 trace. What the exporter
 * writes comes back unchanged, so sktrace → JSON → sktrace is byte-identical. For hand-written sources
 * it fills in what is left out ({@link ImportDefaults}): version, config, index, lifecycle hashes and
 * empty object lists, and it accepts RFC 3339 strings wherever a timestamp goes. Anything it cannot
 * use is refused with the JSON pointer (and line) of the first problem.
 */
public final class TraceJsonImporter {
    private TraceJsonImporter() {}

    /** A hand-written source: unknown keys are refused (TraceSchema.policy). */
    private static final TraceSchema.UnknownKeys UNKNOWN_KEYS = TraceSchema.policy(TraceSchema.Origin.HAND_WRITTEN);
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    /** What the msgpack reader accepts; deeper sources would import but never read back. */
    static final int MAX_DEPTH = 500;

    /** Reads and converts a source file; throws {@link TraceImportException} naming file, pointer and line. */
    public static Trace read(Path file) {
        SourceFile source = SourceFile.of(file, "trace source");
        JsonNode root;
        try {
            root = source.read();
        } catch (SourceException e) {
            throw new TraceImportException(e);
        }
        try {
            return convert(root);
        } catch (SourceProblem p) {
            throw new TraceImportException(source.name(), p.pointer, source.lineOf(p.pointer), p.getMessage());
        }
    }

    /** Converts a parsed source; throws {@link SourceProblem} at the first problem. */
    static Trace convert(JsonNode root) {
        if (!(root instanceof ObjectNode top)) {
            throw new SourceProblem("", "a trace source is a map with events (and optionally version, config, index, "
                    + "pod_lifecycles), found " + describe(root));
        }
        checkKeys(top, "", TraceSchema.Section.TRACE);
        JsonNode version = top.get(TraceSchema.VERSION);
        if (version != null && !(version.isIntegralNumber() && version.canConvertToLong() && version.longValue() == Trace.VERSION)) {
            throw new SourceProblem("/" + TraceSchema.VERSION, "version must be " + Trace.VERSION + " (or left out), found " + version
                    + "; skci writes version-2 traces");
        }
        List<TraceEvent> events = events(top.get(TraceSchema.EVENTS));
        TracerConfig config;
        JsonNode rawConfig = top.get(TraceSchema.CONFIG);
        JsonNode lifecycleSource = top.get(TraceSchema.POD_LIFECYCLES);
        if (rawConfig == null) {
            config = ImportDefaults.config(events, ownerGvks(lifecycleSource));
        } else if (rawConfig instanceof ObjectNode c) {
            checkValue(c, "/config", 1);
            config = new TracerConfig(c);
        } else {
            throw new SourceProblem("/config", "config must be a map such as {trackedObjects: {...}}, found " + describe(rawConfig));
        }
        TraceIndex index = top.has(TraceSchema.INDEX) ? index(top.get(TraceSchema.INDEX)) : ImportDefaults.index(events);
        PodLifecycles lifecycles = lifecycles(lifecycleSource, events, config);
        return new Trace(config, events, index, lifecycles);
    }

    private static List<TraceEvent> events(JsonNode n) {
        if (n == null) {
            throw new SourceProblem("", "events is missing; a trace needs a list of events "
                    + "({ts, applied_objs, deleted_objs}), even if it is empty");
        }
        if (!(n instanceof ArrayNode list)) {
            throw new SourceProblem("/events", "events must be a list, found " + describe(n));
        }
        List<TraceEvent> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String at = "/events/" + i;
            if (!(list.get(i) instanceof ObjectNode e)) {
                throw new SourceProblem(at, "an event must be a map {ts, applied_objs, deleted_objs}, found " + describe(list.get(i)));
            }
            checkKeys(e, at, TraceSchema.Section.EVENT);
            if (!e.has(TraceSchema.TS)) {
                throw new SourceProblem(at, "the event has no ts (Unix seconds or an RFC 3339 time)");
            }
            long ts = time(e.get(TraceSchema.TS), at + "/" + TraceSchema.TS);
            JsonNode applied = e.has(TraceSchema.APPLIED) ? e.get(TraceSchema.APPLIED) : e.get(TraceSchema.APPLIED_LEGACY);
            out.add(new TraceEvent(ts, objects(applied, at + "/" + TraceSchema.APPLIED),
                    objects(e.get(TraceSchema.DELETED), at + "/" + TraceSchema.DELETED)));
        }
        return out;
    }

    private static List<KubeObject> objects(JsonNode n, String at) {
        if (n == null) {
            return List.of();
        }
        if (!(n instanceof ArrayNode list)) {
            throw new SourceProblem(at, "must be a list of Kubernetes objects, found " + describe(n));
        }
        List<KubeObject> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof ObjectNode o)) {
                throw new SourceProblem(at + "/" + i, "a Kubernetes object must be a map, found " + describe(list.get(i)));
            }
            checkValue(o, at + "/" + i, 1);
            out.add(new KubeObject(o));
        }
        return out;
    }

    /** Unix seconds as an integer, or an RFC 3339 string (a convenience for hand-written sources). */
    static long time(JsonNode n, String at) {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (n.isTextual()) {
            try {
                return TraceTime.parseRfc3339(n.textValue().trim());
            } catch (IllegalArgumentException e) {
                throw new SourceProblem(at, e.getMessage());
            }
        }
        throw new SourceProblem(at, "a time must be whole Unix seconds or an RFC 3339 time such as 2025-03-29T22:20:23Z, found "
                + describe(n));
    }

    private static TraceIndex index(JsonNode n) {
        if (!(n instanceof ObjectNode o)) {
            throw new SourceProblem("/index", "index must be a map of GVK to {namespace/name: hash}, found " + describe(n));
        }
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> g : o.properties()) {
            String at = "/index/" + escape(g.getKey());
            gvk(g.getKey(), at);
            if (!(g.getValue() instanceof ObjectNode entries)) {
                throw new SourceProblem(at, "must be a map of namespace/name to hash, found " + describe(g.getValue()));
            }
            Map<String, Long> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : entries.properties()) {
                m.put(e.getKey(), uint64(e.getValue(), at + "/" + escape(e.getKey())));
            }
            out.put(g.getKey(), m);
        }
        return new TraceIndex(out);
    }

    private static List<Gvk> ownerGvks(JsonNode lifecycles) {
        List<Gvk> out = new ArrayList<>();
        if (lifecycles instanceof ArrayNode list) {
            for (JsonNode e : list) {
                JsonNode g = e.path(TraceSchema.OWNER).path(TraceSchema.GVK);
                if (g.isTextual()) {
                    try {
                        out.add(Gvk.parse(g.textValue()));
                    } catch (IllegalArgumentException ignored) {
                        // reported with its pointer when the lifecycles are converted
                    }
                }
            }
        }
        return out;
    }

    private static PodLifecycles lifecycles(JsonNode n, List<TraceEvent> events, TracerConfig config) {
        if (n == null) {
            return PodLifecycles.empty();
        }
        if (!(n instanceof ArrayNode list)) {
            throw new SourceProblem("/pod_lifecycles", "pod_lifecycles must be a list of {owner, hashes}, found " + describe(n)
                    + " (docs/trace-json.md explains why it is not a map)");
        }
        Map<LifecycleOwner, Map<Long, List<PodLifecycle>>> out = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "/pod_lifecycles/" + i;
            if (!(list.get(i) instanceof ObjectNode e)) {
                throw new SourceProblem(at, "an entry must be a map {owner, hashes} or {owner, lifecycles}, found " + describe(list.get(i)));
            }
            checkKeys(e, at, TraceSchema.Section.LIFECYCLE_ENTRY);
            LifecycleOwner owner = owner(e.get(TraceSchema.OWNER), at + "/owner");
            if (out.containsKey(owner)) {
                throw new SourceProblem(at + "/owner", "owner " + owner.gvk() + " " + owner.nsName() + " is listed twice; merge its hashes");
            }
            Map<Long, List<PodLifecycle>> buckets = new LinkedHashMap<>();
            if (e.has(TraceSchema.HASHES) == e.has(TraceSchema.LIFECYCLES)) {
                throw new SourceProblem(at, "give either hashes: [{hash, lifecycles}] or, to let skci compute the hash, lifecycles: [...]");
            }
            if (e.has(TraceSchema.LIFECYCLES)) {
                List<PodLifecycle> entries = lifecycleList(e.get(TraceSchema.LIFECYCLES), at + "/lifecycles");
                buckets.put(ImportDefaults.podSpecHash(owner, events, config, at), entries);
            } else {
                if (!(e.get(TraceSchema.HASHES) instanceof ArrayNode hashes)) {
                    throw new SourceProblem(at + "/hashes", "hashes must be a list of {hash, lifecycles}, found " + describe(e.get("hashes")));
                }
                for (int j = 0; j < hashes.size(); j++) {
                    String hat = at + "/hashes/" + j;
                    if (!(hashes.get(j) instanceof ObjectNode h)) {
                        throw new SourceProblem(hat, "must be a map {hash, lifecycles}, found " + describe(hashes.get(j)));
                    }
                    checkKeys(h, hat, TraceSchema.Section.HASH_BUCKET);
                    if (!h.has(TraceSchema.LIFECYCLES)) {
                        throw new SourceProblem(hat, "lifecycles is missing");
                    }
                    List<PodLifecycle> entries = lifecycleList(h.get(TraceSchema.LIFECYCLES), hat + "/lifecycles");
                    long hash = h.has(TraceSchema.HASH) ? uint64(h.get(TraceSchema.HASH), hat + "/hash")
                            : ImportDefaults.podSpecHash(owner, events, config, hat);
                    if (buckets.containsKey(hash)) {
                        throw new SourceProblem(hat, "pod-spec hash " + Long.toUnsignedString(hash) + " appears twice for this owner");
                    }
                    buckets.put(hash, entries);
                }
            }
            out.put(owner, buckets);
        }
        return new PodLifecycles(out);
    }

    /** Applies the unknown-key policy of hand-written sources to one map of the format. */
    private static void checkKeys(ObjectNode map, String at, TraceSchema.Section section) {
        for (Iterator<String> it = map.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!section.knows(k) && UNKNOWN_KEYS == TraceSchema.UnknownKeys.REFUSE) {
                throw new SourceProblem(at + "/" + escape(k), section.unknownKey(k));
            }
        }
    }

    private static LifecycleOwner owner(JsonNode n, String at) {
        if (!(n instanceof ObjectNode o) || !o.path(TraceSchema.GVK).isTextual() || !o.path(TraceSchema.NS_NAME).isTextual() || o.size() != 2) {
            throw new SourceProblem(at, "owner must be {gvk: \"apps/v1.Deployment\", nsName: \"namespace/name\"}, found "
                    + (n == null ? "nothing" : n.toString()));
        }
        String gvk = o.get(TraceSchema.GVK).textValue();
        gvk(gvk, at + "/gvk");
        return new LifecycleOwner(gvk, o.get(TraceSchema.NS_NAME).textValue());
    }

    private static List<PodLifecycle> lifecycleList(JsonNode n, String at) {
        if (!(n instanceof ArrayNode list)) {
            throw new SourceProblem(at, "lifecycles must be a list, found " + describe(n));
        }
        if (list.isEmpty()) {
            throw new SourceProblem(at, "an empty lifecycle list is not allowed (SimKube divides by its length); remove the hash instead");
        }
        List<PodLifecycle> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(lifecycle(list.get(i), at + "/" + i));
        }
        return out;
    }

    private static PodLifecycle lifecycle(JsonNode n, String at) {
        String shape = "a lifecycle is \"Empty\", {Running: start} or {Finished: [start, end]}";
        if (n.isTextual() && n.textValue().equals("Empty")) {
            return PodLifecycle.EMPTY;
        }
        if (!(n instanceof ObjectNode o) || o.size() != 1) {
            throw new SourceProblem(at, shape + ", found " + n);
        }
        Map.Entry<String, JsonNode> e = o.properties().iterator().next();
        String inner = at + "/" + escape(e.getKey());
        return switch (e.getKey()) {
            case "Empty" -> {
                if (!e.getValue().isNull()) {
                    throw new SourceProblem(inner, "Empty carries nothing; write \"Empty\"");
                }
                yield PodLifecycle.EMPTY;
            }
            case "Running" -> new PodLifecycle.Running(time(e.getValue(), inner));
            case "Finished" -> {
                if (!(e.getValue() instanceof ArrayNode a) || a.size() != 2) {
                    throw new SourceProblem(inner, "Finished must be [start, end], found " + e.getValue());
                }
                yield new PodLifecycle.Finished(time(a.get(0), inner + "/0"), time(a.get(1), inner + "/1"));
            }
            default -> throw new SourceProblem(at, shape + ", found " + n);
        };
    }

    private static void gvk(String s, String at) {
        try {
            Gvk.parse(s);
        } catch (IllegalArgumentException e) {
            throw new SourceProblem(at, e.getMessage());
        }
    }

    private static long uint64(JsonNode n, String at) {
        if (n.isIntegralNumber()) {
            BigInteger b = n.bigIntegerValue();
            if (b.signum() >= 0 && b.compareTo(UINT64_MAX) <= 0) {
                return b.longValue();
            }
        }
        throw new SourceProblem(at, "a hash must be an integer from 0 to 18446744073709551615, found " + n);
    }

    /** Everything that goes into the msgpack file must be a JSON value the reader will accept back. */
    private static void checkValue(JsonNode n, String at, int depth) {
        if (depth > MAX_DEPTH) {
            throw new SourceProblem(at, "values nest deeper than " + MAX_DEPTH + " levels");
        }
        switch (n.getNodeType()) {
            case OBJECT -> {
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    checkValue(e.getValue(), at + "/" + escape(e.getKey()), depth + 1);
                }
            }
            case ARRAY -> {
                for (int i = 0; i < n.size(); i++) {
                    checkValue(n.get(i), at + "/" + i, depth + 1);
                }
            }
            case NUMBER -> {
                if (n.isIntegralNumber()) {
                    BigInteger b = n.bigIntegerValue();
                    if (b.compareTo(INT64_MIN) < 0 || b.compareTo(UINT64_MAX) > 0) {
                        throw new SourceProblem(at, "integer " + b + " does not fit in 64 bits");
                    }
                } else if (!Double.isFinite(n.doubleValue())) {
                    throw new SourceProblem(at, "NaN and infinite numbers cannot be stored in a trace");
                } else if (n.isBigDecimal() || n.isFloat()) {
                    throw new SourceProblem(at, "unexpected number type " + n.numberType());
                }
            }
            case STRING, BOOLEAN, NULL -> {
                // fine as is
            }
            default -> throw new SourceProblem(at, "a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + " value has no place in a trace (only JSON values)");
        }
    }

    static String describe(JsonNode n) {
        if (n == null) {
            return "nothing";
        }
        return switch (n.getNodeType()) {
            case OBJECT -> "a map";
            case ARRAY -> "a list";
            case STRING -> "the string " + n;
            case NULL -> "null";
            default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + n;
        };
    }

    /** RFC 6901 escaping of one pointer token. */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
