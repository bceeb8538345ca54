package dev.skci.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.TestData;
import dev.skci.trace.codec.TraceFile;
import dev.skci.trace.codec.TraceSource;
import dev.skci.trace.json.TraceImportException;
import dev.skci.trace.json.TraceJsonImporter;
import dev.skci.trace.json.TraceJsonWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** One schema for the four codecs: the names they write, and one unknown-key policy per origin. */
class TraceSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theJsonWriterWritesExactlyTheSchemasKeysInOrder() throws Exception {
        StringWriter out = new StringWriter();
        TraceJsonWriter.write(TraceFile.open(TestData.sharedTrace("cronjob.sktrace")), out, false);
        JsonNode root = JSON.readTree(out.toString());
        List<String> top = new ArrayList<>();
        root.fieldNames().forEachRemaining(top::add);
        assertEquals(TraceSchema.Section.TRACE.keys(), top);
        List<String> event = new ArrayList<>();
        root.get(TraceSchema.EVENTS).get(0).fieldNames().forEachRemaining(event::add);
        assertEquals(TraceSchema.Section.EVENT.keys(), event);
    }

    /** A version-2 trace with an extra top-level key and an extra key in its only event, as a newer tracer might write. */
    private static byte[] traceWithUnknownKeys() throws Exception {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(6);
        p.packString("version").packInt(2);
        p.packString("config").packMapHeader(1).packString("trackedObjects").packMapHeader(0);
        p.packString("events").packArrayHeader(1);
        p.packMapHeader(4);
        p.packString("ts").packLong(100);
        p.packString("applied_objs").packArrayHeader(0);
        p.packString("deleted_objs").packArrayHeader(0);
        p.packString("annotations").packMapHeader(0);
        p.packString("index").packMapHeader(0);
        p.packString("pod_lifecycles").packMapHeader(0);
        p.packString("tracer_build").packString("9.9.9");
        return p.toByteArray();
    }

    @Test
    void aRecordedTraceSkipsUnknownKeysAndNotesThem() throws Exception {
        assertEquals(TraceSchema.UnknownKeys.SKIP_AND_NOTE, TraceSchema.policy(TraceSchema.Origin.RECORDED));
        TraceFile f = TraceFile.open(TraceSource.of("newer.sktrace", traceWithUnknownKeys()));
        assertEquals(1, f.eventCount());
        String notes = String.join("\n", f.notes());
        assertTrue(notes.contains("unknown key 'tracer_build'; a trace has version, config, events, index and pod_lifecycles"), notes);
        assertTrue(notes.contains("unknown key 'annotations'; an event has ts, applied_objs and deleted_objs"), notes);
        try (TraceFile.EventCursor c = f.events()) {
            assertEquals(100, c.next().ts());
        }
    }

    @Test
    void aHandWrittenSourceRefusesUnknownKeysWithTheirLocation(@TempDir Path dir) throws Exception {
        assertEquals(TraceSchema.UnknownKeys.REFUSE, TraceSchema.policy(TraceSchema.Origin.HAND_WRITTEN));
        Path src = dir.resolve("typo.yaml");
        Files.writeString(src, "events:\n  - ts: 100\n    applied_obj: []\n");
        TraceImportException e = assertThrows(TraceImportException.class, () -> TraceJsonImporter.read(src));
        assertTrue(e.getMessage().contains("/events/0/applied_obj (line 3): unknown key 'applied_obj'; an event has ts, "
                + "applied_objs and deleted_objs"), e.getMessage());
    }
}
