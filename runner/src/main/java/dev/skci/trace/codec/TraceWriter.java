package dev.skci.trace.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skci.SkciException;
import dev.skci.trace.KubeObject;
import dev.skci.trace.LifecycleOwner;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.PodLifecycles;
import dev.skci.trace.Trace;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.TraceSchema;
import dev.skci.trace.TraceIndex;
import dev.skci.trace.TracerConfig;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.msgpack.core.MessagePacker;

/**
 * Writes version-2 traces exactly as SimKube (rmp-serde, named mode) does: the five top-level keys in
 * order, smallest integer encodings with the unsigned family for non-negative values, uint64 for
 * hashes of 2^63 and above, float64 for every float, and map keys in the model's order. A trace read
 * from a SimKube file therefore re-encodes to the same bytes.
 */
public final class TraceWriter {
    private TraceWriter() {}

    public static byte[] toBytes(Trace trace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(trace, out);
        return out.toByteArray();
    }

    public static void write(Trace trace, OutputStream out) {
        write(out, trace.config(), trace.events().size(), trace.events().iterator(), trace.index(), trace.lifecycles());
    }

    /** Writes to a temporary file beside {@code path} and moves it into place, so readers never see half a trace. */
    public static void write(Trace trace, Path path) {
        Path dir = path.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
            try {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                    write(trace, out);
                }
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw SkciException.invalidInput(path + ": cannot write: " + e.getMessage());
        }
    }

    /** Streams events from an iterator; {@code eventCount} must match what it yields. */
    public static void write(OutputStream out, TracerConfig config, int eventCount, Iterator<TraceEvent> events,
            TraceIndex index, PodLifecycles lifecycles) {
        write(out, config, eventCount, events, () -> index, () -> lifecycles);
    }

    /**
     * Streams events from an iterator, then asks for the index and lifecycles, which come after the events
     * in the file: a writer that learns them while producing events (a generator, a recorder) never has to
     * hold the events. {@code eventCount} must match what the iterator yields.
     */
    public static void write(OutputStream out, TracerConfig config, int eventCount, Iterator<TraceEvent> events,
            Supplier<TraceIndex> indexAfterEvents, Supplier<PodLifecycles> lifecyclesAfterEvents) {
        try {
            MessagePacker p = Msgpack.packer(out);
            p.packMapHeader(TraceSchema.Section.TRACE.keys().size());
            p.packString(TraceSchema.VERSION).packInt(Trace.VERSION);
            p.packString(TraceSchema.CONFIG);
            value(p, config.raw());
            p.packString(TraceSchema.EVENTS).packArrayHeader(eventCount);
            int written = 0;
            while (events.hasNext()) {
                event(p, events.next());
                written++;
            }
            if (written != eventCount) {
                throw new IllegalStateException("announced " + eventCount + " events but wrote " + written);
            }
            p.packString(TraceSchema.INDEX);
            index(p, indexAfterEvents.get());
            p.packString(TraceSchema.POD_LIFECYCLES);
            lifecycles(p, lifecyclesAfterEvents.get());
            p.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void event(MessagePacker p, TraceEvent e) throws IOException {
        p.packMapHeader(TraceSchema.Section.EVENT.keys().size());
        p.packString(TraceSchema.TS).packLong(e.ts());
        p.packString(TraceSchema.APPLIED);
        objects(p, e.applied());
        p.packString(TraceSchema.DELETED);
        objects(p, e.deleted());
    }

    private static void objects(MessagePacker p, List<KubeObject> objs) throws IOException {
        p.packArrayHeader(objs.size());
        for (KubeObject o : objs) {
            value(p, o.node());
        }
    }

    private static void index(MessagePacker p, TraceIndex index) throws IOException {
        Map<String, Map<String, Long>> entries = index.entries();
        p.packMapHeader(entries.size());
        for (Map.Entry<String, Map<String, Long>> g : entries.entrySet()) {
            p.packString(g.getKey()).packMapHeader(g.getValue().size());
            for (Map.Entry<String, Long> e : g.getValue().entrySet()) {
                p.packString(e.getKey());
                uint64(p, e.getValue());
            }
        }
    }

    private static void lifecycles(MessagePacker p, PodLifecycles lifecycles) throws IOException {
        Map<LifecycleOwner, Map<Long, List<PodLifecycle>>> entries = lifecycles.entries();
        p.packMapHeader(entries.size());
        for (Map.Entry<LifecycleOwner, Map<Long, List<PodLifecycle>>> o : entries.entrySet()) {
            p.packArrayHeader(2).packString(o.getKey().gvk()).packString(o.getKey().nsName());
            p.packMapHeader(o.getValue().size());
            for (Map.Entry<Long, List<PodLifecycle>> b : o.getValue().entrySet()) {
                uint64(p, b.getKey());
                p.packArrayHeader(b.getValue().size());
                for (PodLifecycle l : b.getValue()) {
                    lifecycle(p, l);
                }
            }
        }
    }

    private static void lifecycle(MessagePacker p, PodLifecycle l) throws IOException {
        switch (l) {
            case PodLifecycle.Empty e -> p.packString("Empty");
            case PodLifecycle.Running r -> p.packMapHeader(1).packString("Running").packLong(r.start());
            case PodLifecycle.Finished f -> p.packMapHeader(1).packString("Finished")
                    .packArrayHeader(2).packLong(f.start()).packLong(f.end());
        }
    }

    /** A u64 held in a long: values with the top bit set are written as uint64, never as a negative int64. */
    static void uint64(MessagePacker p, long v) throws IOException {
        if (v >= 0) {
            p.packLong(v);
        } else {
            p.packBigInteger(new BigInteger(Long.toUnsignedString(v)));
        }
    }

    /** Encodes a JSON value; Jackson nodes that have no JSON meaning (binary, POJO) are refused. */
    static void value(MessagePacker p, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT -> {
                p.packMapHeader(n.size());
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    p.packString(e.getKey());
                    value(p, e.getValue());
                }
            }
            case ARRAY -> {
                p.packArrayHeader(n.size());
                for (JsonNode e : n) {
                    value(p, e);
                }
            }
            case STRING -> p.packString(n.textValue());
            case BOOLEAN -> p.packBoolean(n.booleanValue());
            case NULL -> p.packNil();
            case NUMBER -> number(p, n);
            default -> throw new IllegalArgumentException("cannot encode a " + n.getNodeType() + " node in a trace");
        }
    }

    private static void number(MessagePacker p, JsonNode n) throws IOException {
        if (n.isIntegralNumber()) {
            if (n.canConvertToLong()) {
                p.packLong(n.longValue());
                return;
            }
            BigInteger b = n.bigIntegerValue();
            if (!MsgpackInput.fitsUint64(b)) {
                throw SkciException.invalidInput("integer " + b + " does not fit in 64 bits");
            }
            p.packBigInteger(b);
        } else {
            p.packDouble(n.doubleValue());
        }
    }
}
