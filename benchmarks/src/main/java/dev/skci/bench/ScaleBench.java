package dev.skci.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.trace.ScalingTrace;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 12's scale benchmarks, each driving {@code bin/skci} as users run it (a child process with the
 * launcher's JVM options), with every process of the run sampled from /proc:
 *
 * <pre>
 *   scale [--case 5k|20k] [--speeds 1,1.5,2,3] [--nodes N]     the scale cases at each speed: verdict, fidelity, wall,
 *                                                            cleanup, runner CPU and RSS; the highest passing speed
 *   cleanup [--pods 1000,5000,20000] [--foreground 1000,5000]  cleanup time of N live pods, bulk against the
 *                                                            foreground deletion of the root alone
 *   cluster-throughput [--pods 2000] [--rounds 2] [--cluster P] realised pods/s of the cluster: kwokctl defaults,
 *                                                            rate limits off, skci's tuning (skci cluster calibrate)
 * </pre>
 */
public final class ScaleBench {
    private static final PrintStream OUT = System.out;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScaleBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Benchmarks.options(args);
        Path dir = Path.of(opts.getOrDefault("dir", "target/bench")).toAbsolutePath();
        Files.createDirectories(dir);
        Path skci = Path.of(opts.getOrDefault("skci", "../bin/skci")).toAbsolutePath().normalize();
        switch (args[0]) {
            case "scale" -> scale(dir, skci, opts);
            case "cleanup" -> cleanup(dir, skci, opts);
            case "cluster-throughput" -> throughput(dir, skci, opts);
            default -> throw new IllegalArgumentException("unknown benchmark " + args[0]);
        }
    }

    // ---------------------------------------------------------------- running skci

    /** One finished child run of skci, with its samples. */
    record Run(int exit, double wallSeconds, String stdout, String stderr, List<ProcSampler.Usage> usage, String cores,
            double sampledSeconds) {
        ProcSampler.Usage runner() {
            return usage.stream().filter(u -> u.name().equals("skci runner")).findFirst()
                    .orElse(new ProcSampler.Usage("skci runner", 0, 0));
        }

        double totalCpu() {
            return usage.stream().mapToDouble(ProcSampler.Usage::cpuSeconds).sum();
        }
    }

    static Run skci(Path skci, Path dir, String cluster, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(skci.toString()));
        command.addAll(Arrays.asList(args));
        Path out = Files.createTempFile(dir, "skci", ".out");
        Path err = Files.createTempFile(dir, "skci", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        System.err.println("bench: " + String.join(" ", command));
        long t0 = System.nanoTime();
        Process p = pb.start();
        ProcSampler sampler = new ProcSampler(p.pid(), cluster);
        boolean done = p.waitFor(2, TimeUnit.HOURS);
        sampler.close();
        if (!done) {
            p.destroy();
            p.waitFor();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Run r = new Run(p.exitValue(), wall, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8),
                sampler.usage(), sampler.describe(5), sampler.wallSeconds());
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        if (r.exit() != 0) {
            System.err.println("bench: exit " + r.exit() + "; last lines of stderr:\n" + tail(r.stderr(), 8));
        }
        // The webhook's own account of its connections and of what it decided off its event loop.
        r.stderr().lines().filter(l -> l.contains("AdmissionServer - webhook: ") && l.contains(" requests over "))
                .forEach(l -> System.err.println("bench: " + l.substring(l.indexOf("webhook: "))));
        return r;
    }

    private static String tail(String s, int lines) {
        List<String> l = s.lines().toList();
        return String.join("\n", l.subList(Math.max(0, l.size() - lines), l.size()));
    }

    /** Boots (or adopts) a local cluster; returns the wall time of {@code skci cluster up}. */
    static Run up(Path skci, Path dir, String name, int nodes, Map<String, String> env) throws IOException, InterruptedException {
        Run r = skci(skci, dir, name, env, "cluster", "up", "--name", name, "--nodes", String.valueOf(nodes), "--node-cpu", "16",
                "--node-memory", "64Gi");
        if (r.exit() != 0) {
            throw new IllegalStateException("cluster up failed: " + tail(r.stderr(), 5));
        }
        return r;
    }

    static void down(Path skci, Path dir, String name) throws IOException, InterruptedException {
        skci(skci, dir, name, Map.of(), "cluster", "down", "--name", name);
    }

    private static final Pattern READY = Pattern.compile("is ready after ([0-9.]+)s");

    static double readySeconds(Run up) {
        Matcher m = READY.matcher(up.stderr());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    // ---------------------------------------------------------------- scale cases

    record Outcome(double speed, int exit, String outcome, double podSeconds, double countsReached, double countsRequested,
            double created, double unschedulable, double pendingAtEnd, double wallSeconds, double cleanupSeconds, boolean cleanupComplete,
            long runnerRssMiB, double runnerCpu, double runnerShare, String cores, String preflight) {}

    static void scale(Path dir, Path skci, Map<String, String> opts) throws Exception {
        String which = opts.getOrDefault("case", "5k");
        ScalingTrace shape = which.equals("20k") ? ScalingTrace.twentyThousand() : ScalingTrace.fiveThousand();
        int nodes = Integer.parseInt(opts.getOrDefault("nodes", which.equals("20k") ? "1000" : "100"));
        String name = opts.getOrDefault("cluster", "bench-scale-" + which);
        double[] speeds = Arrays.stream(opts.getOrDefault("speeds", "1").split(",")).mapToDouble(Double::parseDouble).toArray();
        Path trace = shape.write(dir.resolve(shape.fileName()));
        Run up = up(skci, dir, name, nodes, Map.of());
        List<Outcome> outcomes = new ArrayList<>();
        try {
            for (double speed : speeds) {
                Path reports = dir.resolve("scale-" + which + "-" + speed);
                Run r = skci(skci, dir, name, Map.of(), "run", trace.toString(), "--name", name, "--nodes", String.valueOf(nodes),
                        "--node-cpu", "16", "--node-memory", "64Gi", "--keep-cluster", "--speed", String.valueOf(speed),
                        "--report-dir", reports.toString(), "--cleanup-timeout", "300s", "--timeout", "60m");
                Outcome o = outcome(speed, r, reports);
                outcomes.add(o);
                System.err.println("bench: " + o);
            }
        } finally {
            if (!opts.containsKey("keep")) {
                down(skci, dir, name);
            }
        }
        OUT.printf(Locale.ROOT, "scale %s: %d Deployments %d -> %d -> %d replicas (peak %,d pods) in %d namespaces, %d s apart; %d nodes "
                        + "(16 CPU, 64Gi); cluster up %.1f s (ready after %.1f s)%n", which, shape.deployments(), shape.low(), shape.peak(),
                shape.low(), shape.peakPods(), shape.namespaces(), shape.stepSeconds(), nodes, up.wallSeconds(), readySeconds(up));
        OUT.println("| speed | exit | outcome | fidelity (pod-seconds) | counts reached | pods created | unschedulable | pending at end "
                + "| wall | cleanup | runner RSS max | runner CPU (share of all) | busiest processes | preflight |");
        OUT.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        double best = Double.NaN;
        for (Outcome o : outcomes) {
            OUT.printf(Locale.ROOT, "| %s | %d | %s | %.3f | %.0f of %.0f | %,.0f | %.0f | %.0f | %.1f s | %.1f s%s | %d MiB | %.0f s (%.0f%%) | %s "
                            + "| %s |%n", fmtSpeed(o.speed()), o.exit(), o.outcome(), o.podSeconds(), o.countsReached(), o.countsRequested(),
                    o.created(), o.unschedulable(), o.pendingAtEnd(), o.wallSeconds(), o.cleanupSeconds(), o.cleanupComplete() ? "" : " (incomplete)",
                    o.runnerRssMiB(), o.runnerCpu(), 100 * o.runnerShare(), o.cores(), o.preflight());
            if (o.exit() == 0 && (Double.isNaN(best) || o.speed() > best)) {
                best = o.speed();
            }
        }
        OUT.println("highest speed that passed: " + (Double.isNaN(best) ? "none" : fmtSpeed(best)));
    }

    static Outcome outcome(double speed, Run r, Path reports) throws IOException {
        JsonNode sim = JSON.readTree(reports.resolve("summary.json").toFile()).path("simulations").path(0);
        JsonNode m = sim.path("metrics");
        // skci run prints the preflight only when it warns.
        String preflight = r.stderr().lines().filter(l -> l.startsWith("skci: warning: ") && l.contains("predicted fidelity"))
                .map(l -> "warned: " + l.replaceAll(".*predicted fidelity ([0-9]+%).*", "predicted $1"))
                .findFirst().orElse("no warning");
        ProcSampler.Usage runner = r.runner();
        return new Outcome(speed, r.exit(), sim.path("outcome").asText("?"), m.at("/fidelity/podSeconds").asDouble(),
                m.at("/fidelity/countsReached").asDouble(), m.at("/fidelity/countsRequested").asDouble(), m.at("/pods/created").asDouble(),
                m.at("/pods/unschedulable").asDouble(), m.at("/pods/pendingAtEnd").asDouble(), sim.path("wallSeconds").asDouble(),
                sim.path("cleanupSeconds").asDouble(), sim.path("cleanupComplete").asBoolean(), runner.maxRssKiB() / 1024,
                runner.cpuSeconds(), r.totalCpu() == 0 ? 0 : runner.cpuSeconds() / r.totalCpu(), r.cores(), preflight);
    }

    // ---------------------------------------------------------------- cleanup

    static void cleanup(Path dir, Path skci, Map<String, String> opts) throws Exception {
        List<Integer> sizes = Arrays.stream(opts.getOrDefault("pods", "1000,5000,20000").split(",")).map(Integer::parseInt).toList();
        List<Integer> foreground = Arrays.stream(opts.getOrDefault("foreground", "1000,5000").split(",")).filter(s -> !s.isBlank())
                .map(Integer::parseInt).toList();
        int nodes = Integer.parseInt(opts.getOrDefault("nodes", String.valueOf(Math.max(100, sizes.stream().mapToInt(i -> i).max()
                .orElse(1000) / 20))));
        String name = opts.getOrDefault("cluster", "bench-cleanup");
        up(skci, dir, name, nodes, Map.of());
        Map<String, double[]> rows = new LinkedHashMap<>();
        try {
            for (int pods : sizes) {
                for (String mode : foreground.contains(pods) ? List.of("foreground", "bulk") : List.of("bulk")) {
                    // N pods held from the first event; --duration ends the replay before the trace deletes them, so the
                    // cleanup finds every pod still there.
                    int per = 50;
                    ScalingTrace shape = new ScalingTrace(Math.max(1, pods / per), 4, per, per, 20, "10m");
                    Path trace = shape.write(dir.resolve(shape.fileName()));
                    Path reports = dir.resolve("cleanup-" + pods + "-" + mode);
                    Run r = skci(skci, dir, name, Map.of("SKCI_JAVA_OPTS", "-Dskci.cleanup=" + mode), "run", trace.toString(), "--name",
                            name, "--nodes", String.valueOf(nodes), "--node-cpu", "16", "--node-memory", "64Gi", "--keep-cluster", "--speed",
                            "1", "--duration", "50s", "--report-dir", reports.toString(), "--cleanup-timeout", "900s", "--timeout", "60m");
                    JsonNode sim = JSON.readTree(reports.resolve("summary.json").toFile()).path("simulations").path(0);
                    double created = sim.at("/metrics/pods/created").asDouble();
                    rows.put(pods + " " + mode, new double[] {pods, created, sim.path("cleanupSeconds").asDouble(),
                            sim.path("cleanupComplete").asBoolean() ? 1 : 0, r.exit()});
                    System.err.printf(Locale.ROOT, "bench: cleanup %d pods (%s): %.1f s, complete %s%n", pods, mode,
                            sim.path("cleanupSeconds").asDouble(), sim.path("cleanupComplete").asBoolean());
                }
            }
        } finally {
            if (!opts.containsKey("keep")) {
                down(skci, dir, name);
            }
        }
        OUT.printf(Locale.ROOT, "cleanup: N pods held by N/50 Deployments in 4 namespaces, %d nodes; cleanup = webhook configuration, "
                + "namespaces and pods in bulk, then the root's foreground deletion, verified%n", nodes);
        OUT.println("| pods | pods created | foreground only | bulk (skci) | ratio |");
        OUT.println("|---|---|---|---|---|");
        for (int pods : sizes) {
            double[] b = rows.get(pods + " bulk");
            double[] f = rows.get(pods + " foreground");
            OUT.printf(Locale.ROOT, "| %,d | %,.0f | %s | %.1f s%s | %s |%n", pods, b[1],
                    f == null ? "-" : String.format(Locale.ROOT, "%.1f s%s", f[2], f[3] == 1 ? "" : " (incomplete)"), b[2],
                    b[3] == 1 ? "" : " (incomplete)", f == null ? "-" : String.format(Locale.ROOT, "%.1f×", f[2] / b[2]));
        }
    }

    // ---------------------------------------------------------------- cluster throughput

    private static final Pattern CAPACITY = Pattern.compile(
            "capacity: ([0-9.]+) pod creations/s, ([0-9.]+) pods Running/s, ([0-9.]+) deletions/s");

    static void throughput(Path dir, Path skci, Map<String, String> opts) throws Exception {
        int pods = Integer.parseInt(opts.getOrDefault("pods", "2000"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "2"));
        List<String> levels = List.of(opts.getOrDefault("levels", "default,unthrottled,tuned").split(","));
        Map<String, List<double[]>> by = new LinkedHashMap<>();
        Map<String, List<String>> cores = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String level : levels) { // interleaved, so the machine's load drifts over every level alike
                String name = opts.getOrDefault("cluster", "bench-tp") + "-" + level;
                Run r = skci(skci, dir, name, Map.of("SKCI_JAVA_OPTS", "-Dskci.control-plane=" + level), "cluster", "calibrate",
                        "--name", name, "--pods", String.valueOf(pods));
                Matcher m = CAPACITY.matcher(r.stdout());
                double[] v = m.find() ? new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                        Double.parseDouble(m.group(3))} : new double[] {Double.NaN, Double.NaN, Double.NaN};
                by.computeIfAbsent(level, k -> new ArrayList<>()).add(v);
                cores.computeIfAbsent(level, k -> new ArrayList<>()).add(r.cores());
                System.err.printf(Locale.ROOT, "bench: %s round %d: %.0f created/s, %.0f Running/s, %.0f deleted/s; %s%n", level, round + 1, v[0],
                        v[1], v[2], r.cores());
            }
        }
        OUT.printf(Locale.ROOT, "cluster-throughput: skci cluster calibrate --pods %d (40 Deployments 0 -> %d -> 0 at speed 1, the whole "
                + "runner in the loop), %d interleaved rounds; rates between the 10th and 90th percentile of the pods%n", pods, (pods + 39) / 40,
                rounds);
        OUT.println("| control plane | created/s | Running/s (creation to Running) | deleted/s | Running/s vs kwokctl defaults | busiest processes (last round) |");
        OUT.println("|---|---|---|---|---|---|");
        double base = median(by.getOrDefault(levels.getFirst(), List.of()).stream().mapToDouble(v -> v[1]).toArray());
        for (String level : levels) {
            List<double[]> v = by.get(level);
            double running = median(v.stream().mapToDouble(x -> x[1]).toArray());
            OUT.printf(Locale.ROOT, "| %s | %s | %s | %s | %.1f× | %s |%n", level, list(v, 0), list(v, 1), list(v, 2), running / base,
                    cores.get(level).getLast());
        }
    }

    private static String list(List<double[]> v, int i) {
        double[] x = v.stream().mapToDouble(a -> a[i]).toArray();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "**%.0f**", median(x)));
        if (x.length > 1) {
            b.append(" (");
            for (int k = 0; k < x.length; k++) {
                b.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", x[k]));
            }
            b.append(')');
        }
        return b.toString();
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String fmtSpeed(double s) {
        return s == Math.rint(s) ? String.format(Locale.ROOT, "%.0f", s) : String.valueOf(s);
    }

    static Duration seconds(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }
}
