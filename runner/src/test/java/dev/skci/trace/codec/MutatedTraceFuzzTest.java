package dev.skci.trace.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.skci.TestData;
import dev.skci.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: whatever bytes 'skci validate' is given, it ends cleanly. Exit 0 (nothing on stderr) or
 * exit 2 (at most one stderr line, "skci: <file>: byte N: ..."), never an internal error or a stack
 * trace, and each case in under a second. Inputs are the example traces and SimKube's cronjob.sktrace
 * with 1-3 random mutations each: bit flips, byte inserts, deletes and overwrites, truncation, splices
 * from other traces, and length headers replaced by huge 32-bit ones.
 *
 * <p>A seeded loop in plain JUnit. The seed is printed; rerun a failure with
 * {@code -Dskci.fuzz.seed=<seed>}; {@code -Dskci.fuzz.cases=<n>} changes the number of cases (10,000 by
 * default). Failing inputs are saved under {@code target/fuzz-failures/}.
 */
class MutatedTraceFuzzTest {

    @TempDir
    Path dir;

    private static final int CASES = Integer.getInteger("skci.fuzz.cases", 10_000);
    // A pathological input (a length header that makes the codec allocate or loop for ages) takes far longer
    // than this; a normal case takes milliseconds, and the first, JIT-cold one up to ~2.5 s on a loaded
    // 2-core machine, which a tighter bound turned into false failures.
    private static final long MAX_CASE_MS = 10_000;

    private static List<byte[]> corpus() {
        List<byte[]> c = new ArrayList<>();
        c.add(TestData.bytes(TestData.sharedTrace("cronjob.sktrace")));
        for (String name : List.of("cronjob", "bare-pods", "deployment-scaling")) {
            c.add(TestData.bytes(TestData.projectTrace(name + ".sktrace")));
        }
        c.add(LegacyTraces.v1());
        c.add(LegacyTraces.v0());
        return c;
    }

    @Test
    void validateEndsCleanlyOnMutatedTraces() throws IOException {
        long seed = Long.getLong("skci.fuzz.seed", new Random().nextLong());
        System.out.println("MutatedTraceFuzzTest: seed " + seed + ", " + CASES + " cases (rerun with -Dskci.fuzz.seed=" + seed + ")");
        Random rnd = new Random(seed);
        List<byte[]> corpus = corpus();
        Path file = dir.resolve("mutant.sktrace");
        int[] exits = new int[3];
        long slowest = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < CASES; i++) {
            byte[] base = corpus.get(rnd.nextInt(corpus.size()));
            StringBuilder how = new StringBuilder();
            byte[] input = base;
            int mutations = 1 + rnd.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                input = mutate(input, corpus, rnd, how);
            }
            Files.write(file, input);
            String[] args = i % 10 == 9 ? new String[] {"inspect", "--json", file.toString()}
                    : i % 10 == 8 ? new String[] {"trace", "export", "--compact", file.toString()}
                    : new String[] {"validate", file.toString()};
            long start = System.nanoTime();
            Cli.Result r = Cli.run(args);
            long ms = (System.nanoTime() - start) / 1_000_000;
            slowest = Math.max(slowest, ms);
            String problem = check(r, file.toString(), ms);
            if (problem != null) {
                Path saved = save(seed, i, input);
                fail("case " + i + " (seed " + seed + ", " + how + ", saved as " + saved + ", command " + args[0] + "): "
                        + problem + "\n" + r);
            }
            exits[r.exit() == 0 ? 0 : 1]++;
        }
        long totalMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("MutatedTraceFuzzTest: " + exits[0] + " clean traces, " + exits[1] + " refused, slowest case "
                + slowest + " ms, " + totalMs + " ms in all");
        assertTrue(exits[1] > CASES / 2, "most mutants should be refused; the mutator may be broken");
    }

    /** Returns what is wrong with the outcome, or null when it is clean. */
    private static String check(Cli.Result r, String file, long ms) {
        if (ms >= MAX_CASE_MS) {
            return "took " + ms + " ms";
        }
        if (r.err().contains("Exception") || r.err().contains("\tat ") || r.out().contains("\tat ")) {
            return "stack trace or exception name in the output";
        }
        if (r.exit() == 0) {
            return r.err().isEmpty() ? null : "exit 0 with something on stderr";
        }
        if (r.exit() != 2) {
            return "exit " + r.exit();
        }
        if (r.errLines().size() > 1) {
            return r.errLines().size() + " stderr lines";
        }
        if (r.errLines().size() == 1) {
            String line = r.errLines().get(0);
            if (!line.startsWith("skci: " + file + ": byte ")) {
                return "stderr line does not name the file and byte: " + line;
            }
        }
        return null;
    }

    private static Path save(long seed, int i, byte[] input) throws IOException {
        Path d = Path.of("target", "fuzz-failures");
        Files.createDirectories(d);
        Path p = d.resolve("seed" + seed + "-case" + i + ".sktrace");
        Files.write(p, input);
        return p.toAbsolutePath();
    }

    private static final int[] INTERESTING = {0x00, 0x01, 0x02, 0x03, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1,
        0xc2, 0xc3, 0xc4, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcc, 0xcf, 0xd0, 0xd3, 0xd4, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd,
        0xde, 0xdf, 0xe0, 0xff};

    static byte[] mutate(byte[] in, List<byte[]> corpus, Random rnd, StringBuilder how) {
        int n = in.length;
        int kind = n == 0 ? 1 : rnd.nextInt(9);
        int at = n == 0 ? 0 : rnd.nextInt(n);
        switch (kind) {
            case 0 -> {
                byte[] b = in.clone();
                int bits = 1 + rnd.nextInt(4);
                for (int k = 0; k < bits; k++) {
                    int p = rnd.nextInt(n);
                    b[p] ^= (byte) (1 << rnd.nextInt(8));
                }
                how.append("flip ").append(bits).append(" bits; ");
                return b;
            }
            case 1 -> {
                how.append("insert at ").append(at).append("; ");
                return splice(in, at, at, new byte[] {(byte) pick(rnd)});
            }
            case 2 -> {
                int len = 1 + rnd.nextInt(Math.min(8, n - at));
                how.append("delete ").append(len).append(" at ").append(at).append("; ");
                return splice(in, at, at + len, new byte[0]);
            }
            case 3 -> {
                byte[] b = in.clone();
                b[at] = (byte) pick(rnd);
                how.append("overwrite at ").append(at).append("; ");
                return b;
            }
            case 4 -> {
                how.append("truncate to ").append(at).append("; ");
                return Arrays.copyOf(in, at);
            }
            case 5, 6 -> {
                byte[] other = corpus.get(rnd.nextInt(corpus.size()));
                int from = rnd.nextInt(other.length);
                int len = 1 + rnd.nextInt(Math.min(64, other.length - from));
                int cut = kind == 5 ? 0 : Math.min(n - at, rnd.nextInt(64));
                how.append("splice ").append(len).append(" bytes over ").append(cut).append(" at ").append(at).append("; ");
                return splice(in, at, at + cut, Arrays.copyOfRange(other, from, from + len));
            }
            default -> {
                return hugeHeader(in, rnd, how);
            }
        }
    }

    private static int pick(Random rnd) {
        return rnd.nextBoolean() ? INTERESTING[rnd.nextInt(INTERESTING.length)] : rnd.nextInt(256);
    }

    /** Replaces a one-byte container or string header by its 32-bit form with a huge (or random) length. */
    private static byte[] hugeHeader(byte[] in, Random rnd, StringBuilder how) {
        List<Integer> headers = new ArrayList<>();
        for (int i = 0; i < in.length; i++) {
            int b = in[i] & 0xff;
            if ((b >= 0x80 && b <= 0xbf) || b == 0xdc || b == 0xde || b == 0xd9 || b == 0xda) {
                headers.add(i);
            }
        }
        if (headers.isEmpty()) {
            return in;
        }
        int at = headers.get(rnd.nextInt(headers.size()));
        int b = in[at] & 0xff;
        int marker = b <= 0x8f || b == 0xde ? 0xdf : b <= 0x9f || b == 0xdc ? 0xdd : rnd.nextBoolean() ? 0xdb : 0xc6;
        long len = switch (rnd.nextInt(4)) {
            case 0 -> 0xFFFFFFF0L;
            case 1 -> 0x7FFFFFF0L;
            case 2 -> 0x80000000L;
            default -> rnd.nextLong() & 0xFFFFFFFFL;
        };
        int skip = b == 0xd9 ? 2 : b == 0xda || b == 0xdc || b == 0xde ? 3 : 1;
        how.append("header at ").append(at).append(" -> 0x").append(Integer.toHexString(marker)).append(' ')
                .append(len).append("; ");
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(marker);
        h.write((int) (len >>> 24));
        h.write((int) (len >>> 16));
        h.write((int) (len >>> 8));
        h.write((int) len);
        return splice(in, at, Math.min(in.length, at + skip), h.toByteArray());
    }

    private static byte[] splice(byte[] in, int from, int to, byte[] insert) {
        byte[] out = new byte[in.length - (to - from) + insert.length];
        System.arraycopy(in, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(in, to, out, from + insert.length, in.length - to);
        return out;
    }
}
