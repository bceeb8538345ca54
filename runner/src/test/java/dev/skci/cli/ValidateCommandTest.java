package dev.skci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.TestData;
import dev.skci.trace.TestTraces;
import dev.skci.trace.validate.Rule;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    @TempDir
    Path dir;

    private Path broken() {
        // A deleted object that was never applied (warning) and a cluster-scoped Namespace (error).
        return TestTraces.write(dir, "broken.sktrace", TestTraces.bytes(new dev.skci.trace.Trace(
                TestTraces.config("{'trackedObjects':{}}"),
                java.util.List.of(TestTraces.event(5, java.util.List.of(
                                TestTraces.obj("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'x'}}")),
                        java.util.List.of(TestTraces.deployment("ns", "gone", 1)))),
                dev.skci.trace.TraceIndex.empty(), dev.skci.trace.PodLifecycles.empty())));
    }

    @Test
    void cleanTraceExitsZeroWithASummary() {
        Cli.Result r = Cli.run("validate", TestData.sharedTrace("cronjob.sktrace").toString());
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.err());
        assertEquals(1, r.outLines().size(), r::toString);
        assertTrue(r.out().contains("cronjob.sktrace: OK, no findings in 3 events (2 objects)"), r::toString);
    }

    @Test
    void errorsExitTwoAndEveryFindingIsListed() {
        Path p = broken();
        Cli.Result r = Cli.run("validate", p.toString());
        assertEquals(2, r.exit(), r::toString);
        assertEquals("", r.err());
        assertEquals(3, r.outLines().size(), r::toString);
        assertTrue(r.outLines().get(0).startsWith(p + ": error object-cluster-scoped: event 0 (ts 5, 1970-01-01T00:00:05Z) v1 Namespace x: "), r::toString);
        assertTrue(r.outLines().get(1).startsWith(p + ": warning deleted-never-applied: event 0 "), r::toString);
        assertEquals(p + ": 1 error, 1 warning in 1 event (2 objects)", r.outLines().get(2));
    }

    @Test
    void jsonOutputCarriesTheSameFindings() throws Exception {
        Path p = broken();
        Cli.Result r = Cli.run("validate", "--json", p.toString(), TestData.sharedTrace("cronjob.sktrace").toString());
        assertEquals(2, r.exit(), r::toString);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(1, j.get("errors").asInt());
        assertEquals(1, j.get("warnings").asInt());
        assertEquals(false, j.get("ok").asBoolean());
        JsonNode f = j.get("files").get(0).get("findings").get(0);
        assertEquals("error", f.get("severity").asText());
        assertEquals("object-cluster-scoped", f.get("rule").asText());
        assertEquals(0, f.get("eventIndex").asInt());
        assertEquals(5, f.get("ts").asLong());
        assertEquals("1970-01-01T00:00:05Z", f.get("time").asText());
        assertEquals("v1 Namespace x", f.get("object").asText());
        assertEquals(0, j.get("files").get(1).get("findings").size());
    }

    @Test
    void anUnreadableTraceIsOneStderrLineAndTheOthersAreStillChecked() {
        Path missing = dir.resolve("missing.sktrace");
        Cli.Result r = Cli.run("validate", missing.toString(), TestData.sharedTrace("cronjob.sktrace").toString());
        assertEquals(2, r.exit(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertEquals("skci: " + missing + ": byte 0: no such file", r.errLines().get(0));
        assertTrue(r.out().contains("cronjob.sktrace: OK"), r::toString);
        assertTrue(r.out().contains("total: 2 traces, 0 errors, 0 warnings, 1 unreadable"), r::toString);
    }

    @Test
    void aDirectoryMeansTheTracesInIt() {
        broken();
        TestTraces.write(dir, "notes.txt", new byte[] {1});
        Cli.Result r = Cli.run("validate", dir.toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().contains("broken.sktrace: 1 error, 1 warning"), r::toString);
        assertTrue(!r.out().contains("notes.txt"), r::toString);
    }

    @Test
    void helpListsEveryRule() {
        Cli.Result r = Cli.run("validate", "--help");
        assertEquals(0, r.exit());
        for (Rule rule : Rule.values()) {
            assertTrue(r.out().contains("  " + rule.id() + " "), rule.id());
        }
    }
}
