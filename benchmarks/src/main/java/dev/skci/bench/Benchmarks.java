package dev.skci.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Entry point of the benchmarks jar: {@code java -jar skci-benchmarks.jar <benchmark> [options]}. Each
 * benchmark prints its figures in a form that can go straight into docs/benchmarks.md.
 *
 * <pre>
 *   trace-decode [--size-mb N] [--dir DIR] [--heap-mb M] [--quick]
 *       decode throughput of a synthetic trace of N MiB (default 256) as a ratio to msgpack-core's bare
 *       skim of the same bytes, and peak heap while iterating its events (and validating it) in JVMs
 *       with -Xmx M (default 256) and -Xmx64m
 * </pre>
 */
public final class Benchmarks {
    private Benchmarks() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println("usage: skci-benchmarks <benchmark> [options]\n\nbenchmarks:\n"
                    + "  trace-decode [--size-mb N] [--dir DIR] [--heap-mb M] [--quick]\n"
                    + "  replay-throughput [--objects N] [--rounds R] [--cluster NAME --keep]\n"
                    + "  replay-lateness [--events N] [--cluster NAME --keep]\n"
                    + "  webhook-latency [--pods N] [--cluster NAME --keep]\n"
                    + "  gates [--runs N]\n"
                    + "  observer-overhead [--deployments 100] [--peak 50] [--low 12] [--speed 4] [--rounds 2] [--nodes 100]\n"
                    + "  scale [--case 5k|20k] [--speeds 1,1.5,2] [--nodes N] [--keep]\n"
                    + "  cleanup [--pods 1000,5000,20000] [--foreground 1000,5000]\n"
                    + "  cluster-throughput [--pods 2000] [--rounds 2] [--levels default,unthrottled,tuned]\n"
                    + "  karpenter-provisioning [--rounds 3] [--pods 30] [--speeds 1,10] [--cluster bench-karp] [--keep]");
            System.exit(args.length == 0 ? 2 : 0);
        }
        Map<String, String> opts = options(args);
        switch (args[0]) {
            case "trace-decode" -> traceDecode(opts);
            case "events-loop" -> eventsLoop(opts); // for profilers: decode a trace's events repeatedly
            case "replay-throughput", "replay-lateness", "webhook-latency", "gates" -> ReplayBench.main(args);
            case "observer-overhead" -> ObserverBench.main(args);
            case "scale", "cleanup", "cluster-throughput" -> ScaleBench.main(args);
            case "karpenter-provisioning" -> KarpenterBench.main(args);
            default -> {
                System.err.println("unknown benchmark '" + args[0] + "'; try --help");
                System.exit(2);
            }
        }
    }

    /** {@code --name value} and {@code --flag} after the benchmark's name. */
    static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            m.put(a.substring(2), flag ? "true" : args[++i]);
        }
        return m;
    }

    private static void traceDecode(Map<String, String> opts) throws IOException, RunnerException, InterruptedException {
        long sizeMb = Long.parseLong(opts.getOrDefault("size-mb", "256"));
        Path dir = Path.of(opts.getOrDefault("dir", "target/bench"));
        int heapMb = Integer.parseInt(opts.getOrDefault("heap-mb", "256"));
        boolean quick = opts.containsKey("quick");
        Path file = SyntheticTrace.ensure(dir, sizeMb << 20).toAbsolutePath();
        long bytes = Files.size(file);

        Options jmh = new OptionsBuilder()
                .include(TraceDecodeBenchmark.class.getName() + "\\.")
                .param("file", file.toString())
                .forks(1)
                .warmupIterations(quick ? 3 : 5)
                .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 3 : 5)
                .measurementTime(TimeValue.seconds(quick ? 1 : 3))
                .jvmArgsAppend("-Xmx" + heapMb + "m", "-Xms" + heapMb + "m")
                .build();
        Collection<RunResult> results = new Runner(jmh).run();
        Map<String, Double> ms = new LinkedHashMap<>();
        Map<String, Double> err = new LinkedHashMap<>();
        for (RunResult r : results) {
            String label = r.getPrimaryResult().getLabel();
            ms.put(label, r.getPrimaryResult().getScore());
            err.put(label, r.getPrimaryResult().getScoreError());
        }
        double skim = ms.get("msgpackSkim");
        List<String> lines = new ArrayList<>();
        lines.add(String.format("trace: %s, %,d bytes (%.0f MiB); JMH average time per pass, %s, one fork each with -Xmx%dm",
                file.getFileName(), bytes, bytes / 1048576.0,
                quick ? "3 x 1 s warm-up, 3 x 1 s measured" : "5 x 2 s warm-up, 5 x 3 s measured", heapMb));
        lines.add("| pass | mean time (99.9% CI) | throughput | ratio to msgpack-core skim |");
        lines.add("|---|---|---|---|");
        for (Map.Entry<String, Double> e : ms.entrySet()) {
            double mbps = bytes / 1048576.0 / (e.getValue() / 1000);
            lines.add(String.format("| %s | %.0f ± %.0f ms | %.0f MiB/s | %.2f |", e.getKey(), e.getValue(),
                    err.get(e.getKey()), mbps, skim / e.getValue()));
        }
        lines.addAll(heap(file, heapMb));
        if (heapMb > 64) {
            lines.addAll(heap(file, 64)); // a heap a quarter of the file's size must do as well
        }
        System.out.println();
        lines.forEach(System.out::println);
    }

    private static void eventsLoop(Map<String, String> opts) {
        dev.skci.trace.codec.TraceFile f = dev.skci.trace.codec.TraceFile.open(Path.of(opts.get("file")));
        int n = Integer.parseInt(opts.getOrDefault("passes", "10"));
        org.openjdk.jmh.infra.Blackhole bh = new org.openjdk.jmh.infra.Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            long objects = TraceDecodeBenchmark.consume(f, bh);
            System.out.printf("pass %d: %d objects in %d ms (%d ms CPU)%n", i, objects, (System.nanoTime() - t0) / 1_000_000,
                    (threads.getCurrentThreadCpuTime() - c0) / 1_000_000);
        }
    }

    /** Runs {@link HeapProbe} in a fresh JVM with a small heap, returns its lines. */
    private static List<String> heap(Path file, int heapMb) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Process p = new ProcessBuilder(java, "-Xmx" + heapMb + "m", "-cp", cp, HeapProbe.class.getName(), file.toString())
                .redirectErrorStream(true)
                .start();
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.startsWith("WARNING")) {
                    out.add("heap (-Xmx" + heapMb + "m): " + line);
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0) {
            out.add("heap probe FAILED with exit code " + rc + " (-Xmx" + heapMb + "m)");
        }
        return out;
    }
}
