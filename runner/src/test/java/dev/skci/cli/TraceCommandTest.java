package dev.skci.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceCommandTest {

    @TempDir
    Path dir;

    @Test
    void exportThenImportGivesTheSameBytes() throws Exception {
        Path original = TestData.sharedTrace("cronjob.sktrace");
        Path json = dir.resolve("cronjob.json");
        Path again = dir.resolve("again.sktrace");
        Cli.Result ex = Cli.run("trace", "export", original.toString(), "-o", json.toString());
        assertEquals(0, ex.exit(), ex::toString);
        assertEquals("", ex.out());
        Cli.Result im = Cli.run("trace", "import", json.toString(), "-o", again.toString());
        assertEquals(0, im.exit(), im::toString);
        assertEquals("", im.err());
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(again));
    }

    @Test
    void exportWritesToStandardOutput() throws Exception {
        Cli.Result r = Cli.run("trace", "export", "--compact", TestData.sharedTrace("cronjob.sktrace").toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("{\"version\":2,\"config\":{\"trackedObjects\":{\"apps/v1.Deployment\":{}"), r::toString);
        assertEquals(1, r.outLines().size());
        Files.writeString(dir.resolve("stdout.json"), r.out());
        Cli.Result im = Cli.run("trace", "import", dir.resolve("stdout.json").toString(), "-o", dir.resolve("x.sktrace").toString());
        assertEquals(0, im.exit(), im::toString);
        assertArrayEquals(TestData.bytes(TestData.sharedTrace("cronjob.sktrace")), Files.readAllBytes(dir.resolve("x.sktrace")));
    }

    @Test
    void badSourceIsOneLineAndExitTwoAndWritesNothing() throws Exception {
        Path src = dir.resolve("bad.yaml");
        Files.writeString(src, "events:\n  - ts: soon\n");
        Path out = dir.resolve("bad.sktrace");
        Cli.Result r = Cli.run("trace", "import", src.toString(), "-o", out.toString());
        assertEquals(2, r.exit(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertEquals("skci: " + src + ": /events/0/ts (line 2): 'soon' is not an RFC 3339 time such as 2025-03-29T22:20:23Z",
                r.errLines().get(0));
        assertTrue(!Files.exists(out));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary files left behind");
        }
    }

    @Test
    void importNeedsAnOutputAndTraceNeedsASubcommand() {
        Cli.Result r = Cli.run("trace", "import", "x.yaml");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--output"), r::toString);
        Cli.Result t = Cli.run("trace");
        assertEquals(2, t.exit());
        assertTrue(t.err().startsWith("skci: a subcommand is required: export or import"), t::toString);
    }

    @Test
    void exportOfAnUnreadableTraceNamesTheByte() {
        Cli.Result r = Cli.run("trace", "export", dir.resolve("nope.sktrace").toString());
        assertEquals(2, r.exit());
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.errLines().get(0).startsWith("skci: ") && r.errLines().get(0).contains("byte 0"), r::toString);
    }
}
