package dev.skci.trace.codec;

import dev.skci.trace.Gvk;
import dev.skci.trace.KubeObject;
import dev.skci.trace.LifecycleOwner;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.PodLifecycles;
import dev.skci.trace.SourceFormat;
import dev.skci.trace.Trace;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.TraceSchema;
import dev.skci.trace.TraceIndex;
import dev.skci.trace.TracerConfig;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePackException;
import org.msgpack.value.ValueType;

/**
 * A trace file opened for reading. Opening skims the file once: it decodes the config, the index and
 * the pod lifecycles (which come after the events) and counts the events without keeping them.
 * {@link #events()} then streams the events one at a time, so a trace larger than the heap can be
 * replayed. Every format SimKube has written is read: version 2 with its in-version variants, and the
 * pre-version-2 array layouts, which are upgraded to the version-2 model. Version 3 is refused.
 */
public final class TraceFile {
    private final TraceSource source;
    private final SourceFormat format;
    private final TracerConfig config;
    private final TraceIndex index;
    private final PodLifecycles lifecycles;
    private final long eventsOffset;
    private final int eventCount;
    private final long firstTs;
    private final long lastTs;
    private final List<String> notes;
    private final Map<String, String> legacyGvkByNsName;

    private TraceFile(Skim s) {
        this.source = s.source;
        this.format = s.format;
        this.config = s.config;
        this.index = s.index;
        this.lifecycles = s.lifecycles;
        this.eventsOffset = s.eventsOffset;
        this.eventCount = s.eventCount;
        this.firstTs = s.firstTs;
        this.lastTs = s.lastTs;
        this.notes = List.copyOf(s.notes);
        this.legacyGvkByNsName = s.legacyGvkByNsName;
    }

    public static TraceFile open(Path path) {
        return open(TraceSource.of(path));
    }

    public static TraceFile open(TraceSource source) {
        if (source.size() == 0) {
            throw new TraceFormatException(source.name(), 0, "the file is empty; a trace is a msgpack map written by SimKube or 'skci trace import'");
        }
        Skim s = new Skim(source);
        try (MsgpackInput in = new MsgpackInput(source, 0)) {
            try {
                s.read(in);
            } catch (IOException | MessagePackException e) {
                throw in.wrap(e);
            }
        } catch (IOException e) {
            throw new TraceFormatException(source.name(), 0, "cannot read: " + e.getMessage(), e);
        }
        return new TraceFile(s);
    }

    public String name() {
        return source.name();
    }

    public long sizeBytes() {
        return source.size();
    }

    public SourceFormat format() {
        return format;
    }

    public TracerConfig config() {
        return config;
    }

    public TraceIndex index() {
        return index;
    }

    public PodLifecycles lifecycles() {
        return lifecycles;
    }

    public int eventCount() {
        return eventCount;
    }

    /** The first event's ts; meaningless when there are no events. */
    public long firstTs() {
        return firstTs;
    }

    /** The last event's ts; meaningless when there are no events. */
    public long lastTs() {
        return lastTs;
    }

    /** Things the reader noticed and tolerated: legacy upgrades, ignored keys. */
    public List<String> notes() {
        return notes;
    }

    /** Streams the events from the file; each call opens a new pass. Close the cursor when done. */
    public EventCursor events() {
        try {
            return new EventCursor(new MsgpackInput(source, eventsOffset), eventCount, legacyGvkByNsName);
        } catch (IOException e) {
            throw new TraceFormatException(source.name(), eventsOffset, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads the whole trace into memory. For small traces: import, export, tests. */
    public Trace readAll() {
        List<TraceEvent> events = new ArrayList<>(Math.min(eventCount, 1 << 16));
        try (EventCursor c = events()) {
            while (c.hasNext()) {
                events.add(c.next());
            }
        }
        return new Trace(config, events, index, lifecycles);
    }

    /** A forward-only pass over the events. Errors surface as {@link TraceFormatException}. */
    public static final class EventCursor implements java.util.Iterator<TraceEvent>, AutoCloseable {
        private final MsgpackInput in;
        private final int count;
        private final Map<String, String> legacyGvks;
        private int next;

        private EventCursor(MsgpackInput in, int count, Map<String, String> legacyGvks) {
            this.in = in;
            this.count = count;
            this.legacyGvks = legacyGvks;
            try {
                in.arrayHeader("events");
            } catch (IOException | MessagePackException e) {
                throw in.wrap(e);
            }
        }

        @Override
        public boolean hasNext() {
            return next < count;
        }

        /** Index of the event {@link #next()} returns next. */
        public int nextIndex() {
            return next;
        }

        @Override
        public TraceEvent next() {
            if (next >= count) {
                throw new NoSuchElementException();
            }
            try {
                TraceEvent e = Events.read(in, next++);
                return legacyGvks == null ? e : LegacyUpgrade.fillStubGvks(e, legacyGvks);
            } catch (IOException | MessagePackException e) {
                throw in.wrap(e);
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Decoding of one event, shared by the skim (legacy files) and the cursor. */
    static final class Events {
        private Events() {}

        static TraceEvent read(MsgpackInput in, int i) throws IOException {
            in.context("events", i);
            long at = in.position();
            MessageFormat f = in.nextFormat();
            Long ts = null;
            List<KubeObject> applied = null;
            List<KubeObject> deleted = null;
            if (f.getValueType() == ValueType.ARRAY) {
                // rmp-serde also reads a struct written as a positional array.
                int n = in.arrayHeader("an event");
                if (n != 3) {
                    throw in.error(at, "an event array must be [ts, applied_objs, deleted_objs], found " + n + " elements");
                }
                ts = in.int64("ts");
                applied = objects(in, "applied_objs");
                deleted = objects(in, "deleted_objs");
            } else {
                int n = in.mapHeader("an event");
                for (int k = 0; k < n; k++) {
                    String key = in.key("an event");
                    switch (key) {
                        case TraceSchema.TS -> ts = in.int64(TraceSchema.TS);
                        case TraceSchema.APPLIED, TraceSchema.APPLIED_LEGACY -> applied = objects(in, TraceSchema.APPLIED);
                        case TraceSchema.DELETED -> deleted = objects(in, TraceSchema.DELETED);
                        default -> in.skip(); // noted once per key by the skim (TraceSchema.policy)
                    }
                }
            }
            if (ts == null || applied == null || deleted == null) {
                throw in.error(at, "an event needs ts, applied_objs and deleted_objs");
            }
            return new TraceEvent(ts, applied, deleted);
        }

        private static List<KubeObject> objects(MsgpackInput in, String what) throws IOException {
            int n = in.arrayHeader(what);
            List<KubeObject> out = new ArrayList<>(Math.min(n, 256));
            for (int j = 0; j < n; j++) {
                out.add(new KubeObject(in.object("an object")));
            }
            return out;
        }

        /** Reads ts and skips the rest; returns ts. */
        static long skim(MsgpackInput in, int i, java.util.function.BiConsumer<String, Long> unknownKey) throws IOException {
            in.context("events", i);
            long at = in.position();
            MessageFormat f = in.nextFormat();
            if (f.getValueType() == ValueType.ARRAY) {
                int n = in.arrayHeader("an event");
                if (n != 3) {
                    throw in.error(at, "an event array must be [ts, applied_objs, deleted_objs], found " + n + " elements");
                }
                long ts = in.int64("ts");
                in.skip();
                in.skip();
                return ts;
            }
            int n = in.mapHeader("an event");
            Long ts = null;
            for (int k = 0; k < n; k++) {
                long keyAt = in.position();
                String key = in.key("an event");
                if (key.equals(TraceSchema.TS)) {
                    ts = in.int64(TraceSchema.TS);
                } else {
                    if (!TraceSchema.Section.EVENT.knows(key)) {
                        unknownKey.accept(key, keyAt);
                    }
                    in.skip();
                }
            }
            if (ts == null) {
                throw in.error(at, "an event has no ts");
            }
            return ts;
        }
    }

    /** The first pass over the file. */
    private static final class Skim {
        final TraceSource source;
        SourceFormat format;
        TracerConfig config;
        TraceIndex index;
        PodLifecycles lifecycles;
        long eventsOffset = -1;
        int eventCount;
        long firstTs;
        long lastTs;
        final List<String> notes = new ArrayList<>();
        private final java.util.Set<String> unknownEventKeys = new java.util.HashSet<>();

        /** A recorded trace is read forward-compatibly: the key is skipped and noted (TraceSchema.policy). */
        private void unknownKey(TraceSchema.Section section, String key, String where) {
            assert TraceSchema.policy(TraceSchema.Origin.RECORDED) == TraceSchema.UnknownKeys.SKIP_AND_NOTE;
            notes.add(section.unknownKey(key) + " (" + where + "); it is ignored");
        }
        // Legacy files only: the GVK of each ns/name seen in events, to rebuild GVK-keyed tables.
        Map<String, String> legacyGvkByNsName;

        Skim(TraceSource source) {
            this.source = source;
        }

        void read(MsgpackInput in) throws IOException {
            long at = in.position();
            MessageFormat f = in.nextFormat();
            if (f.getValueType() == ValueType.MAP) {
                readV2(in);
            } else if (f.getValueType() == ValueType.ARRAY) {
                readLegacy(in);
            } else if (f == MessageFormat.POSFIXINT && looksLikeText() != null) {
                throw in.error(at, "this looks like " + looksLikeText() + ", not a msgpack trace; convert it with "
                        + "'skci trace import <file> -o <trace>'");
            } else {
                throw in.error(at, "not a SimKube trace: expected a msgpack map (version 2) or array (pre-version-2), found "
                        + MsgpackInput.describe(f));
            }
            if (in.hasNext()) {
                in.context("");
                throw in.error(in.position(), "unexpected bytes after the end of the trace; the file is corrupt or two files were concatenated");
            }
        }

        /** "JSON" or "a text file (YAML?)" when the file starts like text, else null. */
        private String looksLikeText() {
            byte[] head = new byte[256];
            int n;
            try (var s = source.open(0)) {
                n = s.readNBytes(head, 0, head.length);
            } catch (IOException e) {
                return null;
            }
            int i = 0;
            while (i < n && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) {
                i++;
            }
            if (i < n && (head[i] == '{' || head[i] == '[')) {
                return "JSON";
            }
            for (int k = 0; k < n; k++) {
                int b = head[k] & 0xff;
                if (b < 0x20 && b != '\n' && b != '\r' && b != '\t') {
                    return null;
                }
            }
            return "a text file (YAML?)";
        }

        private void readV2(MsgpackInput in) throws IOException {
            format = SourceFormat.V2;
            long at = in.position();
            int n = in.mapHeader("the trace");
            Integer version = null;
            for (int i = 0; i < n; i++) {
                in.context("");
                long keyAt = in.position();
                String key = in.key("the trace");
                switch (key) {
                    case TraceSchema.VERSION -> {
                        long vAt = in.position();
                        long v = in.uint64("version");
                        checkVersion(in, vAt, v);
                        version = (int) v;
                    }
                    case TraceSchema.CONFIG -> {
                        in.context("config");
                        config = new TracerConfig(in.object("config"));
                    }
                    case TraceSchema.EVENTS -> skimEvents(in, false);
                    case TraceSchema.INDEX -> {
                        in.context("index");
                        index = readIndex(in);
                    }
                    case TraceSchema.POD_LIFECYCLES -> {
                        in.context("pod_lifecycles");
                        lifecycles = readLifecycles(in);
                    }
                    default -> {
                        unknownKey(TraceSchema.Section.TRACE, key, "at byte " + keyAt);
                        in.skip();
                    }
                }
            }
            in.context("");
            List<String> missing = new ArrayList<>();
            if (version == null) missing.add("version");
            if (config == null) missing.add("config");
            if (eventsOffset < 0) missing.add("events");
            if (index == null) missing.add("index");
            if (lifecycles == null) missing.add("pod_lifecycles");
            if (!missing.isEmpty()) {
                throw in.error(at, "the trace map is missing " + String.join(", ", missing)
                        + " (a version-2 trace has version, config, events, index and pod_lifecycles)");
            }
        }

        private static void checkVersion(MsgpackInput in, long at, long v) {
            if (v == 3) {
                throw in.error(at, "this is a version-3 trace (SimKube's unmerged 'tracked_objects' proposal); "
                        + "skci reads version 2 and older. Re-export it with a released SimKube (2.x)");
            }
            if (v != 2) {
                throw in.error(at, "unsupported trace version " + Long.toUnsignedString(v)
                        + "; skci reads version 2 and the older array-shaped files");
            }
        }

        private void skimEvents(MsgpackInput in, boolean collectLegacyGvks) throws IOException {
            in.context("events");
            eventsOffset = in.position();
            int n = in.arrayHeader("events");
            eventCount = n;
            for (int i = 0; i < n; i++) {
                long ts;
                if (collectLegacyGvks) {
                    TraceEvent e = Events.read(in, i);
                    ts = e.ts();
                    for (KubeObject o : e.applied()) rememberGvk(o);
                    for (KubeObject o : e.deleted()) rememberGvk(o);
                } else {
                    int event = i;
                    ts = Events.skim(in, i, (key, at) -> {
                        if (unknownEventKeys.add(key)) {
                            unknownKey(TraceSchema.Section.EVENT, key, "in event " + event + " at byte " + at + " (and wherever else it appears)");
                        }
                    });
                }
                if (i == 0) firstTs = ts;
                lastTs = ts;
            }
        }

        private void rememberGvk(KubeObject o) {
            Gvk gvk = o.gvk();
            if (gvk == null || o.name() == null) {
                return;
            }
            String key = gvk.toString();
            try {
                Gvk.parse(key); // an apiVersion like "a/b/c" gives a GVK string that cannot be read back
            } catch (IllegalArgumentException e) {
                return;
            }
            legacyGvkByNsName.putIfAbsent(o.nsName(), key);
        }

        private static TraceIndex readIndex(MsgpackInput in) throws IOException {
            int n = in.mapHeader("index");
            Map<String, Map<String, Long>> byGvk = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                in.context("index");
                String gvk = in.key("index");
                in.context("index[" + gvk + "]");
                int m = in.mapHeader("the entries");
                Map<String, Long> entries = new LinkedHashMap<>();
                for (int j = 0; j < m; j++) {
                    String nsName = in.key("the entries");
                    entries.put(nsName, in.uint64("an index hash"));
                }
                byGvk.put(gvk, entries);
            }
            return new TraceIndex(byGvk);
        }

        private static PodLifecycles readLifecycles(MsgpackInput in) throws IOException {
            int n = in.mapHeader("pod_lifecycles");
            Map<LifecycleOwner, Map<Long, List<PodLifecycle>>> out = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                long at = in.position();
                MessageFormat f = in.nextFormat();
                if (f.getValueType() != ValueType.ARRAY) {
                    throw in.error(at, "pod_lifecycles keys must be [gvk, namespace/name] arrays, found " + MsgpackInput.describe(f));
                }
                int k = in.arrayHeader("a pod_lifecycles key");
                if (k != 2) {
                    throw in.error(at, "pod_lifecycles keys must be [gvk, namespace/name], found " + k + " elements");
                }
                LifecycleOwner owner = new LifecycleOwner(in.sharedString("the owner GVK"), in.string("the owner namespace/name"));
                in.context("pod_lifecycles", i);
                out.put(owner, readBuckets(in));
                in.context("pod_lifecycles");
            }
            return new PodLifecycles(out);
        }

        static Map<Long, List<PodLifecycle>> readBuckets(MsgpackInput in) throws IOException {
            int m = in.mapHeader("the lifecycles of an owner");
            Map<Long, List<PodLifecycle>> buckets = new LinkedHashMap<>();
            for (int j = 0; j < m; j++) {
                long hash = in.uint64("a pod-spec hash");
                int c = in.arrayHeader("the lifecycles of a pod-spec hash");
                List<PodLifecycle> list = new ArrayList<>(Math.min(c, 1024));
                for (int x = 0; x < c; x++) {
                    list.add(readLifecycle(in));
                }
                buckets.put(hash, list);
            }
            return buckets;
        }

        static PodLifecycle readLifecycle(MsgpackInput in) throws IOException {
            long at = in.position();
            MessageFormat f = in.nextFormat();
            if (f.getValueType() == ValueType.STRING) {
                String s = in.string("a lifecycle");
                if (s.equals("Empty")) {
                    return PodLifecycle.EMPTY;
                }
                throw in.error(at, "unknown lifecycle '" + s + "' (expected Empty, Running or Finished)");
            }
            if (f.getValueType() != ValueType.MAP) {
                throw in.error(at, "a lifecycle must be \"Empty\", {Running: ts} or {Finished: [start, end]}, found "
                        + MsgpackInput.describe(f));
            }
            if (in.mapHeader("a lifecycle") != 1) {
                throw in.error(at, "a lifecycle map must have exactly one entry: Empty, Running or Finished");
            }
            String tag = in.key("a lifecycle");
            switch (tag) {
                case "Empty" -> {
                    in.skip();
                    return PodLifecycle.EMPTY;
                }
                case "Running" -> {
                    return new PodLifecycle.Running(in.int64("Running's start"));
                }
                case "Finished" -> {
                    long fat = in.position();
                    if (in.arrayHeader("Finished") != 2) {
                        throw in.error(fat, "Finished must be [start, end]");
                    }
                    long s = in.int64("Finished's start");
                    long e = in.int64("Finished's end");
                    return new PodLifecycle.Finished(s, e);
                }
                default -> throw in.error(at, "unknown lifecycle '" + tag + "' (expected Empty, Running or Finished)");
            }
        }

        private void readLegacy(MsgpackInput in) throws IOException {
            long at = in.position();
            int n = in.arrayHeader("the trace");
            if (n != 2 && n != 4) {
                throw in.error(at, "a pre-version-2 trace is an array of 2 or 4 elements, this one has " + n
                        + "; it is not a SimKube trace");
            }
            format = n == 4 ? SourceFormat.LEGACY_V1 : SourceFormat.LEGACY_V0;
            legacyGvkByNsName = new LinkedHashMap<>();
            in.context("config");
            ObjectNode rawConfig = in.object("config");
            skimEvents(in, true);
            Map<String, Long> flatIndex = new LinkedHashMap<>();
            Map<String, Map<Long, List<PodLifecycle>>> flatLifecycles = new LinkedHashMap<>();
            if (n == 4) {
                in.context("index");
                int m = in.mapHeader("index");
                for (int i = 0; i < m; i++) {
                    String nsName = in.key("index");
                    flatIndex.put(nsName, in.uint64("an index hash"));
                }
                in.context("pod_lifecycles");
                int l = in.mapHeader("pod_lifecycles");
                for (int i = 0; i < l; i++) {
                    String owner = in.string("a pod_lifecycles owner");
                    flatLifecycles.put(owner, readBuckets(in));
                }
            }
            in.context("");
            LegacyUpgrade up = new LegacyUpgrade(notes);
            config = up.config(rawConfig);
            index = up.index(flatIndex, legacyGvkByNsName, config);
            lifecycles = up.lifecycles(flatLifecycles, index);
            notes.add(0, "read a " + format.description() + " trace and upgraded it to version 2 in memory");
        }
    }
}
