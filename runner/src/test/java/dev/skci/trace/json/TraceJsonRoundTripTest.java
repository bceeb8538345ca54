package dev.skci.trace.json;

import static dev.skci.trace.TestTraces.config;
import static dev.skci.trace.TestTraces.event;
import static dev.skci.trace.TestTraces.index;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.TestData;
import dev.skci.trace.KubeObject;
import dev.skci.trace.LifecycleOwner;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.PodLifecycles;
import dev.skci.trace.TestTraces;
import dev.skci.trace.Trace;
import dev.skci.trace.codec.TraceFile;
import dev.skci.trace.codec.TraceSource;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceJsonRoundTripTest {

    @TempDir
    Path dir;

    private byte[] roundTrip(String name, byte[] sktrace, boolean pretty) throws Exception {
        StringWriter json = new StringWriter();
        TraceJsonWriter.write(TraceFile.open(TraceSource.of(name, sktrace)), json, pretty);
        Path src = dir.resolve(name + ".json");
        Files.writeString(src, json.toString());
        return TestTraces.bytes(TraceJsonImporter.read(src));
    }

    @Test
    void simkubeCronJobTraceSurvivesJsonByteForByte() throws Exception {
        byte[] original = TestData.bytes(TestData.sharedTrace("cronjob.sktrace"));
        assertArrayEquals(original, roundTrip("cronjob", original, true));
        assertArrayEquals(original, roundTrip("cronjob-compact", original, false));
    }

    /** Everything JSON makes hard: floats with integral values, uint64, key order, nulls, odd keys, big hashes. */
    private static Trace tricky() {
        JsonNodeFactory f = JsonNodeFactory.withExactBigDecimals(false);
        ObjectNode o = f.objectNode();
        o.put("kind", "Widget"); // deliberately not first: the order must survive
        o.put("apiVersion", "x.io/v1");
        o.putObject("metadata").put("namespace", "n").put("name", "w").putObject("annotations");
        ObjectNode spec = o.putObject("spec");
        spec.put("one", 1.0);
        spec.put("negZero", -0.0);
        spec.put("tiny", 4.9e-324);
        spec.put("huge", 1.7976931348623157e308);
        spec.put("tenth", 0.1);
        spec.put("int", 1);
        spec.put("long", 1L << 40);
        spec.put("minLong", Long.MIN_VALUE);
        spec.put("u64", new BigInteger("18446744073709551615"));
        spec.putNull("nothing");
        spec.putArray("empty");
        spec.putObject("emptyMap");
        spec.put("ünï/cödé~", "✓ \"quoted\" \\ \n");
        spec.putArray("nested").addArray().addArray().add(false);
        Map<LifecycleOwner, Map<Long, List<PodLifecycle>>> lc = new LinkedHashMap<>();
        Map<Long, List<PodLifecycle>> b = new LinkedHashMap<>();
        b.put(-2L, List.of(PodLifecycle.EMPTY, new PodLifecycle.Running(5), new PodLifecycle.Finished(-3, 9)));
        b.put(0L, List.of(new PodLifecycle.Running(Long.MAX_VALUE)));
        lc.put(new LifecycleOwner("x.io/v1.Widget", "n/w"), b);
        lc.put(new LifecycleOwner("/v1.Pod", "n/p"), Map.of(Long.MIN_VALUE, List.of(new PodLifecycle.Finished(1, 2))));
        return new Trace(
                config("{'trackedObjects':{'x.io/v1.Widget':{'podSpecTemplatePath':'/spec/t','trackLifecycle':true},"
                        + "'apps/v1.Deployment':{'podSpecTemplatePaths':null}},'future':[1,2.5]}"),
                List.of(event(-5, List.of(), List.of()), event(0, List.of(new KubeObject(o)), List.of(new KubeObject(o))),
                        event(Long.MAX_VALUE, List.of(), List.of())),
                index("x.io/v1.Widget", "n/w", -1L, "x.io/v1.Widget", "n/a", 0L, "v1.Pod", "n/p", Long.MIN_VALUE),
                new PodLifecycles(lc));
    }

    @Test
    void trickyValuesSurviveJsonByteForByte() throws Exception {
        byte[] original = TestTraces.bytes(tricky());
        assertArrayEquals(original, roundTrip("tricky", original, true));
    }

    @Test
    void exportKeepsFloatsAsFloatsAndHashesAsIntegers() throws Exception {
        StringWriter json = new StringWriter();
        TraceJsonWriter.write(TraceFile.open(TraceSource.of("t", TestTraces.bytes(tricky()))), json, false);
        String s = json.toString();
        assertTrue(s.contains("\"one\":1.0,"), s);
        assertTrue(s.contains("\"negZero\":-0.0,"), s);
        assertTrue(s.contains("\"u64\":18446744073709551615"), s);
        assertTrue(s.contains("{\"hash\":18446744073709551614,\"lifecycles\":[\"Empty\",{\"Running\":5},{\"Finished\":[-3,9]}]}"), s);
        assertTrue(s.contains("\"n/p\":9223372036854775808"), s);
        assertTrue(s.startsWith("{\"version\":2,\"config\":{\"trackedObjects\""), s);
        assertTrue(s.contains("{\"kind\":\"Widget\",\"apiVersion\":\"x.io/v1\""), s);
    }

    @Test
    void legacyTracesExportAsVersionTwo() throws Exception {
        byte[] legacy = dev.skci.trace.codec.LegacyTraces.v1();
        StringWriter json = new StringWriter();
        TraceJsonWriter.write(TraceFile.open(TraceSource.of("legacy", legacy)), json, false);
        assertTrue(json.toString().startsWith("{\"version\":2,"), json::toString);
        Path src = dir.resolve("legacy.json");
        Files.writeString(src, json.toString());
        Trace t = TraceJsonImporter.read(src);
        TraceFile again = TraceFile.open(TraceSource.of("again", TestTraces.bytes(t)));
        assertEquals(dev.skci.trace.SourceFormat.V2, again.format());
        assertEquals(TraceFile.open(TraceSource.of("legacy", legacy)).eventCount(), again.eventCount());
    }
}
