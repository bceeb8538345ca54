package dev.skci.cli;

import dev.skci.trace.codec.Msgpack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Runs skci in-process, as {@code bin/skci} would, capturing standard output and error. Not thread-safe
 * across tests that run in parallel (it swaps System.out/err), so calls are serialized.
 */
public final class Cli {
    private Cli() {}

    /** What one run produced. */
    public record Result(int exit, String out, String err) {
        public List<String> errLines() {
            return err.isEmpty() ? List.of() : Arrays.asList(err.split("\n", -1)).stream()
                    .filter(l -> !l.isEmpty()).toList();
        }

        public List<String> outLines() {
            return out.isEmpty() ? List.of() : out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** {@code skci run} against a cluster through its kubeconfig, namespaces under {@code prefix}, reports into {@code reports}. */
    public static Result runOn(dev.skci.cluster.Cluster cluster, java.nio.file.Path reports, String prefix, String... args) {
        List<String> a = new java.util.ArrayList<>(List.of("run", "--kubeconfig", cluster.kubeconfig().toString(),
                "--namespace-prefix", prefix, "--report-dir", reports.toString()));
        a.addAll(List.of(args));
        return run(a.toArray(String[]::new));
    }

    public static synchronized Result run(String... args) {
        Msgpack.init(); // before capturing: msgpack-core must never print JVM warnings into a test's stderr
        SkciCommand.debug = false; // --debug sticks in a static; each run starts without it
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = SkciCommand.execute(args);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(oldOut);
            System.setErr(oldErr);
            SkciCommand.debug = false;
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
