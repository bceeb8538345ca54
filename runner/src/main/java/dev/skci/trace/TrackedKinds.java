package dev.skci.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The normalized tracer configuration, computed the way SimKube's importer does it (paths from the
 * plural key, else the deprecated singular one; built-in kinds must use their built-in paths; others
 * need explicit paths), with every problem collected instead of stopping at the first.
 */
public final class TrackedKinds {

    /** What kind of problem: validators give each its own rule id. */
    public enum ProblemType {
        /** A key SimKube does not know: ignored at the top level, refused inside a kind's settings (2.6+). */
        UNKNOWN_KEY,
        /** A value SimKube refuses on import. */
        INVALID,
        /** Accepted, but worth knowing (ignored singular path, a kind without paths). */
        NOTICE
    }

    /** A problem with the config; errors make the trace invalid, warnings do not. */
    public record Problem(boolean error, String gvkKey, String message, ProblemType type) {
        public Problem(boolean error, String gvkKey, String message) {
            this(error, gvkKey, message, error ? ProblemType.INVALID : ProblemType.NOTICE);
        }
    }

    private static final Set<String> KNOWN_KEYS =
            Set.of("podSpecTemplatePaths", "podSpecTemplatePath", "trackLifecycle", "skipOwned");

    private final Map<Gvk, TrackedKind> kinds;
    private final List<Problem> problems;

    private TrackedKinds(Map<Gvk, TrackedKind> kinds, List<Problem> problems) {
        this.kinds = kinds;
        this.problems = problems;
    }

    public static TrackedKinds normalize(TracerConfig config) {
        Map<Gvk, TrackedKind> kinds = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Iterator<String> it = config.raw().fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("trackedObjects")) {
                problems.add(new Problem(false, null, "unknown config key '" + key + "' is ignored", ProblemType.UNKNOWN_KEY));
            }
        }
        ObjectNode tracked = config.trackedObjects();
        if (tracked == null) {
            problems.add(new Problem(true, null, config.raw().has("trackedObjects")
                    ? "config.trackedObjects must be a map of GVK to settings"
                    : "config has no trackedObjects; add 'trackedObjects: {}'"));
            return new TrackedKinds(kinds, problems);
        }
        tracked.fields().forEachRemaining(e -> normalizeOne(e.getKey(), e.getValue(), kinds, problems));
        return new TrackedKinds(kinds, problems);
    }

    private static void normalizeOne(String key, JsonNode value, Map<Gvk, TrackedKind> kinds, List<Problem> problems) {
        Gvk gvk;
        try {
            gvk = Gvk.parse(key);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(true, key, e.getMessage()));
            return;
        }
        if (!value.isObject()) {
            problems.add(new Problem(true, key, "settings must be a map, found " + value.getNodeType()));
            return;
        }
        boolean ok = true;
        for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KNOWN_KEYS.contains(k)) {
                problems.add(new Problem(true, key, "unknown setting '" + k + "' (SimKube accepts only "
                        + String.join(", ", KNOWN_KEYS.stream().sorted().toList()) + ")", ProblemType.UNKNOWN_KEY));
                ok = false;
            }
        }
        List<String> plural = stringList(value.get("podSpecTemplatePaths"), key, "podSpecTemplatePaths", problems);
        JsonNode singularNode = value.get("podSpecTemplatePath");
        String singular = null;
        if (singularNode != null && !singularNode.isNull()) {
            if (singularNode.isTextual()) {
                singular = singularNode.textValue();
            } else {
                problems.add(new Problem(true, key, "podSpecTemplatePath must be a string or nil"));
                ok = false;
            }
        }
        Boolean trackLifecycle = bool(value.get("trackLifecycle"), key, "trackLifecycle", problems);
        Boolean skipOwned = bool(value.get("skipOwned"), key, "skipOwned", problems);
        if (trackLifecycle == null || skipOwned == null || plural == BAD) {
            ok = false;
        }
        List<String> paths = plural != null && plural != BAD && !plural.isEmpty()
                ? plural
                : singular != null ? List.of(singular) : List.of();
        if (plural != null && plural != BAD && !plural.isEmpty() && singular != null) {
            problems.add(new Problem(false, key, "both podSpecTemplatePaths and the deprecated podSpecTemplatePath are set; the singular one is ignored"));
        }
        List<String> builtin = BuiltinKinds.POD_TEMPLATE_PATHS.get(gvk);
        if (builtin != null) {
            if (!paths.isEmpty() && !paths.equals(builtin)) {
                problems.add(new Problem(true, key, "podSpecTemplatePaths " + paths + " differ from the built-in "
                        + builtin + " for " + gvk + "; remove the setting to use the built-in paths"));
                ok = false;
            }
            paths = builtin;
        } else if (paths.isEmpty()) {
            // SimKube >= 2.6 refuses this (MissingPath); skci can replay such kinds, they just have no pods.
            problems.add(new Problem(false, key, "no podSpecTemplatePaths for a kind that is not built in; SimKube 2.6+ "
                    + "refuses such a trace, skci treats the kind as having no pod templates"));
        }
        for (String p : paths) {
            String bad = checkPointer(p);
            if (bad != null) {
                problems.add(new Problem(true, key, "podSpecTemplatePath '" + p + "': " + bad));
                ok = false;
            }
        }
        if (ok) {
            kinds.put(gvk, new TrackedKind(gvk, paths, trackLifecycle, skipOwned));
        }
    }

    /** Returns why a JSON pointer is unusable as a pod template path, or null when it is fine. */
    static String checkPointer(String p) {
        if (p.isEmpty()) {
            return null;
        }
        if (!p.startsWith("/")) {
            return "a JSON pointer must start with '/' (use \"\" for the object itself)";
        }
        if (p.equals("/")) {
            return "'/' points at a key named \"\", not at the object; use \"\" for the object itself";
        }
        if (p.contains("//")) {
            return "contains an empty token ('//')";
        }
        if (p.endsWith("/*")) {
            return "'*' cannot be the last token";
        }
        return null;
    }

    private static final List<String> BAD = List.of("<bad>");

    private static List<String> stringList(JsonNode n, String key, String field, List<Problem> problems) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            problems.add(new Problem(true, key, field + " must be a list of strings or nil"));
            return BAD;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                problems.add(new Problem(true, key, field + " must contain only strings"));
                return BAD;
            }
            out.add(e.textValue());
        }
        return out;
    }

    private static Boolean bool(JsonNode n, String key, String field, List<Problem> problems) {
        if (n == null) {
            return false;
        }
        if (!n.isBoolean()) {
            problems.add(new Problem(true, key, field + " must be true or false, found " + n.getNodeType()));
            return null;
        }
        return n.booleanValue();
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(Problem::error);
    }

    public Map<Gvk, TrackedKind> kinds() {
        return Collections.unmodifiableMap(kinds);
    }

    public TrackedKind get(Gvk gvk) {
        return kinds.get(gvk);
    }

    /**
     * Where the pod templates of objects of this kind are: the configured paths for a tracked kind, the
     * built-in ones for a built-in kind the tracer did not list, none otherwise.
     */
    public List<String> podTemplatePaths(Gvk gvk) {
        TrackedKind k = kinds.get(gvk);
        if (k != null) {
            return k.podSpecTemplatePaths();
        }
        return BuiltinKinds.POD_TEMPLATE_PATHS.getOrDefault(gvk, List.of());
    }
}
