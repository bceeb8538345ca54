package dev.skci.trace.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.skci.TestData;
import dev.skci.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unreadable traces, end to end through the CLI (in-process): each gives exactly one stderr line
 * "skci: <file>: byte <offset>: <problem>", exit code 2, no stack trace, quickly and without a memory
 * blow-up. Most go through 'skci validate'; 'inspect' and 'trace export' share the same reader.
 */
class BadTraceInputTest {

    @TempDir
    Path dir;

    private static final byte[] CRONJOB = TestData.bytes(TestData.sharedTrace("cronjob.sktrace"));

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** Asserts the one-line failure contract and returns the line. */
    static String assertCleanFailure(Cli.Result r, String file) {
        assertEquals(2, r.exit(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("skci: "), r::toString);
        assertTrue(line.contains(file), r::toString);
        assertTrue(line.contains("byte "), r::toString);
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat ") || r.out().contains("\tat "), r::toString);
        return line;
    }

    private String validateFails(String name, byte[] bytes) throws IOException {
        Path p = write(name, bytes);
        return assertCleanFailure(Cli.run("validate", p.toString()), p.toString());
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("missing.sktrace");
        assertEquals("skci: " + p + ": byte 0: no such file", assertCleanFailure(Cli.run("validate", p.toString()), p.toString()));
    }

    @Test
    void directory() throws IOException {
        Path d = Files.createDirectory(dir.resolve("traces.sktrace"));
        assertEquals("skci: " + d + ": byte 0: is a directory, not a trace file; give a .sktrace file",
                assertCleanFailure(Cli.run("inspect", d.toString()), d.toString()));
        // validate takes directories of traces; one without any is refused the same way.
        assertCleanFailure(Cli.run("validate", d.toString()), d.toString());
        assertCleanFailure(Cli.run("trace", "export", d.toString()), d.toString());
    }

    @Test
    void emptyFile() throws IOException {
        assertTrue(validateFails("empty.sktrace", new byte[0]).contains("byte 0: the file is empty"));
    }

    @Test
    void truncatedAtEveryByteOffset() throws IOException {
        Path p = dir.resolve("cut.sktrace");
        for (int n = 0; n < CRONJOB.length; n++) {
            Files.write(p, Arrays.copyOf(CRONJOB, n));
            long t0 = System.nanoTime();
            Cli.Result r = Cli.run("validate", p.toString());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String line = assertCleanFailure(r, p.toString());
            assertTrue(ms < 1000, "truncation at " + n + " took " + ms + " ms");
            if (n > 0) {
                assertTrue(line.contains("truncated") || line.contains("ends"), "at " + n + ": " + line);
            }
        }
    }

    @Test
    void randomBytes() throws IOException {
        Random rnd = new Random(42);
        for (int i = 0; i < 50; i++) {
            byte[] b = new byte[1 + rnd.nextInt(4096)];
            rnd.nextBytes(b);
            validateFails("random-" + i + ".sktrace", b);
        }
    }

    @Test
    void jsonOrYamlInsteadOfMsgpack() throws IOException {
        Cli.Result export = Cli.run("trace", "export", TestData.sharedTrace("cronjob.sktrace").toString());
        String line = validateFails("cronjob.json.sktrace", export.out().getBytes(StandardCharsets.UTF_8));
        assertTrue(line.contains("byte 0: this looks like JSON, not a msgpack trace; convert it with 'skci trace import"), line);
        line = validateFails("yaml.sktrace", "version: 2\nevents: []\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(line.contains("byte 0: this looks like a text file (YAML?)"), line);
    }

    /** Offset of the first occurrence of {@code needle}. */
    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static int afterKey(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] needle = new byte[k.length + 1];
        needle[0] = (byte) (0xa0 | k.length);
        System.arraycopy(k, 0, needle, 1, k.length);
        return indexOf(CRONJOB, needle) + needle.length;
    }

    private static byte[] withVersion(int v) {
        byte[] b = CRONJOB.clone();
        int at = afterKey("version");
        assertEquals(2, b[at]);
        b[at] = (byte) v;
        return b;
    }

    @Test
    void wrongVersions() throws IOException {
        int at = afterKey("version");
        for (int v : new int[] {1, 7, 0}) {
            String line = validateFails("v" + v + ".sktrace", withVersion(v));
            assertTrue(line.endsWith("byte " + at + ": unsupported trace version " + v
                    + "; skci reads version 2 and the older array-shaped files"), line);
        }
        String line = validateFails("v3.sktrace", withVersion(3));
        assertTrue(line.contains("byte " + at + ": this is a version-3 trace"), line);
    }

    @Test
    void legacyArrayFilesAreReadNotRefused() throws IOException {
        for (byte[] legacy : new byte[][] {LegacyTraces.v0(), LegacyTraces.v1()}) {
            Path p = write("legacy.sktrace", legacy);
            Cli.Result r = Cli.run("validate", p.toString());
            assertEquals(0, r.exit(), r::toString);
            assertEquals("", r.err());
            assertTrue(r.out().contains("warning reader-note: read a pre-version-2 array"), r::toString);
        }
    }

    /** Replaces the one-byte header at {@code at} by a 32-bit header claiming {@code length}. */
    private static byte[] hugeHeader(int at, int marker, long length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(CRONJOB, 0, at);
        out.write(marker);
        out.write((int) (length >>> 24));
        out.write((int) (length >>> 16));
        out.write((int) (length >>> 8));
        out.write((int) length);
        out.write(CRONJOB, at + 1, CRONJOB.length - at - 1);
        return out.toByteArray();
    }

    @Test
    void lengthHeadersClaimingGigabytes() throws IOException {
        int events = afterKey("events");
        int name = indexOf(CRONJOB, "\u00adhello-simkube".getBytes(StandardCharsets.ISO_8859_1));
        int spec = afterKey("spec");
        int index = afterKey("index");
        long[] lengths = {0xFFFFFFF0L, 0x7FFFFFF0L};
        for (long len : lengths) {
            Runtime rt = Runtime.getRuntime();
            long before = rt.totalMemory() - rt.freeMemory();
            String[] lines = {
                validateFails("map32-top.sktrace", hugeHeader(0, 0xdf, len)),
                validateFails("array32-events.sktrace", hugeHeader(events, 0xdd, len)),
                validateFails("str32-name.sktrace", hugeHeader(name, 0xdb, len)),
                validateFails("map32-spec.sktrace", hugeHeader(spec, 0xdf, len)),
                validateFails("map32-index.sktrace", hugeHeader(index, 0xdf, len)),
                validateFails("bin32-spec.sktrace", hugeHeader(spec, 0xc6, len)),
                validateFails("ext32-spec.sktrace", hugeHeader(spec, 0xc9, len)),
            };
            long after = rt.totalMemory() - rt.freeMemory();
            assertTrue(after - before < 256L << 20, "memory grew by " + ((after - before) >> 20) + " MB");
            assertTrue(lines[0].contains("byte 0: "), lines[0]);
            assertTrue(lines[1].contains("byte " + events + ": "), lines[1]);
            for (String l : lines) {
                if (!(l.contains("claims") || l.contains("truncated") || l.contains("ends") || l.contains("too large")
                        || l.contains("corrupt"))) {
                    fail("unclear message: " + l);
                }
            }
        }
    }

    @Test
    void controlCharactersFromTheTraceNeverBreakTheLine() throws IOException {
        // A corrupt index key with a newline, followed by something that is not a map (found by the fuzz test).
        byte[] b = CRONJOB.clone();
        int index = afterKey("index");
        assertEquals((byte) 0x81, b[index]);
        int key = index + 1; // fixstr "batch/v1.CronJob"
        b[key + 1 + 5] = '\n';
        b[key + 1 + 16] = 0x05; // the entries map becomes an integer
        String line = validateFails("newline.sktrace", b);
        assertTrue(line.contains("in index[batch\\nv1.CronJob]: the entries must be a map, found an integer"), line);
    }

    @Test
    void debugShowsTheStackTrace() throws IOException {
        Path p = write("empty.sktrace", new byte[0]);
        Cli.Result r = Cli.run("--debug", "inspect", p.toString());
        assertEquals(2, r.exit());
        assertTrue(r.errLines().get(0).startsWith("skci: " + p + ": byte 0: "), r::toString);
        assertTrue(r.err().contains("\tat "), r::toString);
    }
}
