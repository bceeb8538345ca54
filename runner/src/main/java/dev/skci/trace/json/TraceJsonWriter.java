package dev.skci.trace.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.trace.KubeObject;
import dev.skci.trace.LifecycleOwner;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.Trace;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.TraceSchema;
import dev.skci.trace.codec.TraceFile;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Writes a trace as JSON in the shape documented in {@code docs/trace-json.md}: the five top-level
 * keys of the msgpack file, with {@code pod_lifecycles} as a list (its msgpack keys are arrays and
 * integers, which JSON objects cannot hold). Nothing is lost: key order is kept, integers stay
 * integers (uint64 included), floats keep a decimal point, so {@link TraceJsonImporter} rebuilds the
 * same bytes. Events are streamed from the file.
 */
public final class TraceJsonWriter {
    private TraceJsonWriter() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static void write(TraceFile trace, Writer out, boolean pretty) throws IOException {
        JsonGenerator g = new JsonFactory().createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.setCodec(MAPPER);
        if (pretty) {
            g.setPrettyPrinter(JsonStyle.prettyPrinter());
        }
        g.writeStartObject();
        g.writeNumberField(TraceSchema.VERSION, Trace.VERSION);
        g.writeFieldName(TraceSchema.CONFIG);
        g.writeTree(trace.config().raw());
        g.writeArrayFieldStart(TraceSchema.EVENTS);
        try (TraceFile.EventCursor events = trace.events()) {
            while (events.hasNext()) {
                event(g, events.next());
            }
        }
        g.writeEndArray();
        g.writeObjectFieldStart(TraceSchema.INDEX);
        for (Map.Entry<String, Map<String, Long>> gvk : trace.index().entries().entrySet()) {
            g.writeObjectFieldStart(gvk.getKey());
            for (Map.Entry<String, Long> e : gvk.getValue().entrySet()) {
                g.writeFieldName(e.getKey());
                uint64(g, e.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeArrayFieldStart(TraceSchema.POD_LIFECYCLES);
        for (Map.Entry<LifecycleOwner, Map<Long, List<PodLifecycle>>> o : trace.lifecycles().entries().entrySet()) {
            g.writeStartObject();
            g.writeObjectFieldStart(TraceSchema.OWNER);
            g.writeStringField(TraceSchema.GVK, o.getKey().gvk());
            g.writeStringField(TraceSchema.NS_NAME, o.getKey().nsName());
            g.writeEndObject();
            g.writeArrayFieldStart(TraceSchema.HASHES);
            for (Map.Entry<Long, List<PodLifecycle>> b : o.getValue().entrySet()) {
                g.writeStartObject();
                g.writeFieldName(TraceSchema.HASH);
                uint64(g, b.getKey());
                g.writeArrayFieldStart(TraceSchema.LIFECYCLES);
                for (PodLifecycle l : b.getValue()) {
                    lifecycle(g, l);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
        g.flush();
    }

    private static void event(JsonGenerator g, TraceEvent e) throws IOException {
        g.writeStartObject();
        g.writeNumberField(TraceSchema.TS, e.ts());
        objects(g, TraceSchema.APPLIED, e.applied());
        objects(g, TraceSchema.DELETED, e.deleted());
        g.writeEndObject();
    }

    private static void objects(JsonGenerator g, String field, List<KubeObject> objs) throws IOException {
        g.writeArrayFieldStart(field);
        for (KubeObject o : objs) {
            value(g, o.node());
        }
        g.writeEndArray();
    }

    /** Jackson's tree writer already keeps order, ints, uint64 (BigInteger) and floats (1.0 stays 1.0). */
    private static void value(JsonGenerator g, JsonNode n) throws IOException {
        g.writeTree(n);
    }

    private static void lifecycle(JsonGenerator g, PodLifecycle l) throws IOException {
        switch (l) {
            case PodLifecycle.Empty e -> g.writeString("Empty");
            case PodLifecycle.Running r -> {
                g.writeStartObject();
                g.writeNumberField("Running", r.start());
                g.writeEndObject();
            }
            case PodLifecycle.Finished f -> {
                g.writeStartObject();
                g.writeArrayFieldStart("Finished");
                g.writeNumber(f.start());
                g.writeNumber(f.end());
                g.writeEndArray();
                g.writeEndObject();
            }
        }
    }

    private static void uint64(JsonGenerator g, long v) throws IOException {
        if (v >= 0) {
            g.writeNumber(v);
        } else {
            g.writeNumber(new BigInteger(Long.toUnsignedString(v)));
        }
    }
}
