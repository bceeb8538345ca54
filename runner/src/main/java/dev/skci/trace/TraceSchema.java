package dev.skci.trace;

import java.util.List;

/**
 * The trace's field names, and what a reader does with a key it does not know: declared once, used by
 * the msgpack reader and writer ({@code codec/}) and the JSON/YAML importer and writer ({@code json/}).
 * The format itself is SimKube's (docs/trace-json.md); these are its names.
 */
public final class TraceSchema {
    private TraceSchema() {}

    // The top-level map of a version-2 trace.
    public static final String VERSION = "version";
    public static final String CONFIG = "config";
    public static final String EVENTS = "events";
    public static final String INDEX = "index";
    public static final String POD_LIFECYCLES = "pod_lifecycles";

    // One event.
    public static final String TS = "ts";
    public static final String APPLIED = "applied_objs";
    public static final String DELETED = "deleted_objs";
    /** What early SimKube builds called {@link #APPLIED}; read as that. */
    public static final String APPLIED_LEGACY = "created_objs";

    // One entry of pod_lifecycles in the JSON form (msgpack keys them by an [owner gvk, nsName] pair).
    public static final String OWNER = "owner";
    public static final String GVK = "gvk";
    public static final String NS_NAME = "nsName";
    public static final String HASHES = "hashes";
    public static final String HASH = "hash";
    public static final String LIFECYCLES = "lifecycles";

    /** A map of the format and the keys it has, in the order writers write them. */
    public enum Section {
        TRACE("a trace", List.of(VERSION, CONFIG, EVENTS, INDEX, POD_LIFECYCLES)),
        EVENT("an event", List.of(TS, APPLIED, DELETED)),
        LIFECYCLE_ENTRY("a pod_lifecycles entry", List.of(OWNER, HASHES, LIFECYCLES)),
        LIFECYCLE_OWNER("a lifecycle owner", List.of(GVK, NS_NAME)),
        HASH_BUCKET("a hash bucket", List.of(HASH, LIFECYCLES));

        private final String what;
        private final List<String> keys;

        Section(String what, List<String> keys) {
            this.what = what;
            this.keys = keys;
        }

        public List<String> keys() {
            return keys;
        }

        public boolean knows(String key) {
            return keys.contains(key) || (this == EVENT && key.equals(APPLIED_LEGACY));
        }

        /** "unknown key 'x'; an event has ts, applied_objs and deleted_objs". */
        public String unknownKey(String key) {
            String list = keys.size() == 1 ? keys.getFirst()
                    : String.join(", ", keys.subList(0, keys.size() - 1)) + " and " + keys.getLast();
            return "unknown key '" + key + "'; " + what + " has " + list;
        }
    }

    /** Who wrote the trace, which decides how strict a reader is. */
    public enum Origin {
        /** A tracer (SimKube) wrote it: the binary .sktrace. */
        RECORDED,
        /** A person wrote it: the JSON/YAML form {@code skci trace import} reads. */
        HAND_WRITTEN
    }

    /** What a reader does with an unknown key. */
    public enum UnknownKeys {
        /** Skip the value and record a note, which {@code skci validate} shows as a warning. */
        SKIP_AND_NOTE,
        /** Refuse the file with the key's location. */
        REFUSE
    }

    /**
     * The unknown-key policy. A recorded trace is read forward-compatibly: a newer tracer may add fields,
     * and a CI gate must not break on them, so the key is skipped and noted. A hand-written source is
     * refused: there an unknown key is almost always a typo ({@code applied_obj}) that would silently drop
     * what it holds.
     */
    public static UnknownKeys policy(Origin origin) {
        return origin == Origin.RECORDED ? UnknownKeys.SKIP_AND_NOTE : UnknownKeys.REFUSE;
    }
}
