package dev.skci.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.wait.Deadline;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ProviderOptions;
import dev.skci.cluster.Providers;
import dev.skci.result.SimulationResult;
import dev.skci.readiness.GateResult;
import dev.skci.replay.ReplayPlan;
import dev.skci.run.Session;
import dev.skci.run.SimulationRun;
import dev.skci.trace.KubeObject;
import dev.skci.trace.PodLifecycles;
import dev.skci.trace.Trace;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.TraceIndex;
import dev.skci.trace.TracerConfig;
import dev.skci.trace.codec.TraceFile;
import dev.skci.trace.codec.TraceWriter;
import dev.skci.webhook.AdmissionServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The replay benchmarks (issues 4 and 5), run against a real local cluster that this harness boots (or
 * reuses with {@code --cluster NAME}). Each figure is compared with a baseline measured in the same run.
 *
 * <pre>
 *   replay-throughput [--objects N] [--rounds R]   replay at unlimited speed vs a plain fabric8 create loop
 *   replay-lateness   [--events N]                 event lateness p50/p99 at speed 1 and 10
 *   webhook-latency   [--pods N] [--rate R] [--nodes N]  admission latency at R pods/s: webhook log, API server
 *                                                    histogram, and dry-run round trips with and without the webhook
 *   gates             [--runs N]                   time through all readiness gates, warm and from a cold boot
 * </pre>
 */
public final class ReplayBench {
    private static final PrintStream OUT = System.out;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ReplayBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Benchmarks.options(args);
        Path dir = Path.of(opts.getOrDefault("dir", "target/bench"));
        Files.createDirectories(dir);
        String which = args.length == 0 ? "" : args[0];
        if (which.equals("gates")) {
            gates(dir, Integer.parseInt(opts.getOrDefault("runs", "5")));
            return;
        }
        ClusterSpec spec = new ClusterSpec(opts.getOrDefault("cluster", "bench"), Integer.parseInt(opts.getOrDefault("nodes", "3")),
                ClusterSpec.NodeShape.DEFAULT);
        ClusterProvider provider = Providers.create("local", ProviderOptions.defaults(line -> System.err.println("bench: " + line)));
        try (Session session = Session.open(provider, spec, opts.containsKey("keep"), line -> System.err.println("bench: " + line))) {
            switch (which) {
                case "replay-throughput" -> throughput(session, dir, Integer.parseInt(opts.getOrDefault("objects", "1000")),
                        Integer.parseInt(opts.getOrDefault("rounds", "5")));
                case "replay-lateness" -> lateness(session, dir, Integer.parseInt(opts.getOrDefault("events", "120")));
                case "webhook-latency" -> webhookLatency(session, dir, Integer.parseInt(opts.getOrDefault("pods", "300")),
                        Double.parseDouble(opts.getOrDefault("rate", "100")));
                default -> {
                    System.err.println("usage: replay-throughput | replay-lateness | webhook-latency | gates");
                    System.exit(2);
                }
            }
        }
    }

    // ---------------------------------------------------------------- traces

    /** A trace of ConfigMaps, one per event, {@code gapSeconds} apart: no pods, so only the replay path is measured. */
    static Path configMapTrace(Path dir, String name, int objects, int gapSeconds) {
        List<TraceEvent> events = new ArrayList<>();
        long t0 = 1_750_000_000L;
        for (int i = 0; i < objects; i++) {
            events.add(new TraceEvent(t0 + (long) i * gapSeconds, List.of(configMap("bench", "cm-" + i)), List.of()));
        }
        return write(dir, name, events);
    }

    /**
     * A trace of bare pods, {@code perEvent} per event, one event a second, then a quiet minute: without the tail the
     * last pods would be asked to live for no trace time at all, and the fidelity of a run, which weighs requested
     * pod-seconds, would judge the start-up lag of pods that were never meant to run.
     */
    static Path podTrace(Path dir, String name, int pods, int perEvent) {
        List<TraceEvent> events = new ArrayList<>();
        long t0 = 1_750_000_000L;
        List<KubeObject> batch = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            batch.add(pod("bench", "pod-" + i));
            if (batch.size() == perEvent || i == pods - 1) {
                events.add(new TraceEvent(t0 + events.size(), batch, List.of()));
                batch = new ArrayList<>();
            }
        }
        events.add(new TraceEvent(t0 + events.size() - 1 + 60, List.of(), List.of()));
        return write(dir, name, events);
    }

    private static Path write(Path dir, String name, List<TraceEvent> events) {
        ObjectNode config = NODES.objectNode();
        config.putObject("trackedObjects");
        Path p = dir.resolve(name + ".sktrace");
        TraceWriter.write(new Trace(new TracerConfig(config), events, TraceIndex.empty(), PodLifecycles.empty()), p);
        return p;
    }

    private static KubeObject configMap(String ns, String name) {
        ObjectNode o = NODES.objectNode();
        o.put("apiVersion", "v1");
        o.put("kind", "ConfigMap");
        ObjectNode m = o.putObject("metadata");
        m.put("name", name);
        m.put("namespace", ns);
        m.putObject("labels").put("app", "bench");
        ObjectNode data = o.putObject("data");
        data.put("config.yaml", "replicas: 3\nimage: registry.example/app:1.2.3\nfeature: " + name + "\n");
        return new KubeObject(o);
    }

    private static KubeObject pod(String ns, String name) {
        ObjectNode o = NODES.objectNode();
        o.put("apiVersion", "v1");
        o.put("kind", "Pod");
        ObjectNode m = o.putObject("metadata");
        m.put("name", name);
        m.put("namespace", ns);
        ObjectNode c = o.putObject("spec").putArray("containers").addObject();
        c.put("name", "app");
        c.put("image", "registry.example/app:1.2.3");
        return new KubeObject(o);
    }

    // ---------------------------------------------------------------- runs

    private static SimulationResult run(Session session, Path trace, double speed, String prefix) throws InterruptedException {
        return run(session, trace, speed, prefix, SimulationRun.Hooks.NONE);
    }

    private static SimulationResult run(Session session, Path trace, double speed, String prefix, SimulationRun.Hooks hooks)
            throws InterruptedException {
        SimulationResult r = attempt(session, trace, speed, prefix, hooks);
        if (!r.verdict().passed()) {
            throw new IllegalStateException("benchmark run failed: " + r.verdict().reasons());
        }
        return r;
    }

    /** One run whatever its verdict: for benchmarks that measure a side of the run (admission) a failed verdict does not void. */
    private static SimulationResult attempt(Session session, Path trace, double speed, String prefix, SimulationRun.Hooks hooks)
            throws InterruptedException {
        TraceFile f = TraceFile.open(trace);
        SimulationRun.Options o = SimulationRun.Options.defaults().withSpeed(speed).withNamespacePrefix(prefix);
        return new SimulationRun(session.cluster(), o, hooks)
                .run(f, ReplayPlan.scan(f, Optional.empty()), Deadline.after(Duration.ofMinutes(30)));
    }

    /** The same ConfigMaps created one by one with fabric8 into a fresh namespace; seconds taken. */
    private static double baselineCreateLoop(KubernetesClient client, int objects, String ns) throws InterruptedException {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        client.serviceAccounts().inNamespace(ns).withName("default").waitUntilCondition(sa -> sa != null, 30, TimeUnit.SECONDS);
        long t = System.nanoTime();
        for (int i = 0; i < objects; i++) {
            client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("cm-" + i).withNamespace(ns).addToLabels("app", "bench").endMetadata()
                    .addToData("config.yaml", "replicas: 3\nimage: registry.example/app:1.2.3\nfeature: cm-" + i + "\n")
                    .build()).create();
        }
        double s = (System.nanoTime() - t) / 1e9;
        client.namespaces().withName(ns).delete();
        client.namespaces().withName(ns).waitUntilCondition(n -> n == null, 120, TimeUnit.SECONDS);
        return s;
    }

    static void throughput(Session session, Path dir, int objects, int rounds) throws InterruptedException {
        Path trace = configMapTrace(dir, "throughput-" + objects, objects, 1);
        KubernetesClient client = session.cluster().client();
        baselineCreateLoop(client, Math.min(200, objects), "bench-warmup"); // JIT and connection warm-up
        run(session, configMapTrace(dir, "throughput-warmup", 200, 1), Double.POSITIVE_INFINITY, "warm");
        double[] base = new double[rounds];
        double[] replay = new double[rounds];
        for (int i = 0; i < rounds; i++) { // interleaved, so drift in the machine's load hits both alike
            base[i] = baselineCreateLoop(client, objects, "bench-baseline-" + i);
            replay[i] = run(session, trace, Double.POSITIVE_INFINITY, "tp" + i).replay().stats().replayNanos() / 1e9;
        }
        double b = median(base);
        double r = median(replay);
        // Each round pairs a baseline with the replay right after it; the median of those ratios is less
        // sensitive to the load of a shared machine than the ratio of medians.
        double[] ratios = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            ratios[i] = base[i] / replay[i];
        }
        OUT.printf(Locale.ROOT, "replay-throughput: %d ConfigMaps, %d rounds, speed max%n", objects, rounds);
        OUT.printf(Locale.ROOT, "  fabric8 create loop: median %.2f s = %.0f objects/s  (rounds %s)%n", b, objects / b, fmt(base));
        OUT.printf(Locale.ROOT, "  skci replay (SSA):   median %.2f s = %.0f objects/s  (rounds %s)%n", r, objects / r, fmt(replay));
        OUT.printf(Locale.ROOT, "  throughput ratio replay/create: median of paired rounds %.2f (rounds %s)%n", median(ratios), fmt(ratios));
    }

    static void lateness(Session session, Path dir, int events) throws InterruptedException {
        OUT.printf(Locale.ROOT, "replay-lateness: one ConfigMap per event, events 1 s apart in trace time%n");
        for (double speed : new double[] {1, 10}) {
            int n = speed == 1 ? Math.max(10, events / 2) : events;
            SimulationResult r = run(session, configMapTrace(dir, "lateness-" + n, n, 1), speed, "late" + (int) speed);
            OUT.printf(Locale.ROOT, "  speed %4.0f: %d events over %.0f s: lateness p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    speed, r.replay().lateness().count(), (n - 1) / speed, r.replay().lateness().quantileMillis(0.5),
                    r.replay().lateness().quantileMillis(0.99), r.replay().lateness().maxMillis());
        }
    }

    static void webhookLatency(Session session, Path dir, int pods, double rate) throws InterruptedException {
        KubernetesClient client = session.cluster().client();
        // Warm-up only (JIT, connections): its verdict does not matter, and at the 80 % edge it can go either way.
        attempt(session, podTrace(dir, "webhook-warmup", 50, 10), 10, "whwarm", SimulationRun.Hooks.NONE);
        Map<Double, Double> before = admissionHistogram(client);
        // 10 pods per event, one event a trace second: --rate R pods/s is speed R/10.
        double speed = rate / 10;
        RoundTrips trips = new RoundTrips();
        AdmissionServer[] served = new AdmissionServer[1];
        SimulationResult r = attempt(session, podTrace(dir, "webhook-" + pods, pods, 10), speed, "wh", new SimulationRun.Hooks() {
            @Override
            public void replayStarting(KubernetesClient c, String runName, AdmissionServer server) {
                served[0] = server;
                trips.start(c, "wh-bench");
            }
        });
        trips.stop();
        Map<Double, Double> after = admissionHistogram(client);
        long[] micros = r.admission().requests().stream().filter(e -> e.operation().equals("CREATE") && !e.dryRun())
                .mapToLong(dev.skci.webhook.RequestLog.Entry::micros).sorted().toArray();
        OUT.printf(Locale.ROOT, "webhook-latency: %d bare pods, 10 per event, %.0f pods/s (speed %s)%n", pods, rate, speed);
        OUT.printf(Locale.ROOT, "  the run's verdict: %s%n", r.verdict().passed() ? "passed" : "not passed: " + r.verdict().reasons());
        OUT.printf(Locale.ROOT, "  webhook handler (request log, %d CREATEs): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                micros.length, q(micros, 0.5) / 1000.0, q(micros, 0.99) / 1000.0, micros[micros.length - 1] / 1000.0);
        long[] receiving = r.admission().requests().stream().filter(e -> e.operation().equals("CREATE") && !e.dryRun())
                .mapToLong(dev.skci.webhook.RequestLog.Entry::receiveMicros).sorted().toArray();
        OUT.printf(Locale.ROOT, "    of which receiving the body (the client's pace): p50 %.2f ms, p99 %.2f ms%n",
                q(receiving, 0.5) / 1000.0, q(receiving, 0.99) / 1000.0);
        if (served[0] != null) {
            OUT.printf(Locale.ROOT, "  webhook connections (TLS handshakes): %d for %d requests, %d of them over HTTP/2, %d decided off the event loop%n",
                    served[0].connections(), served[0].requests().total(), served[0].http2Requests(), served[0].decidedOffLoop());
        }
        double total = after.getOrDefault(Double.POSITIVE_INFINITY, 0.0) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        OUT.printf(Locale.ROOT, "  API server apiserver_admission_webhook_admission_duration_seconds (%.0f calls):%n", total);
        for (Map.Entry<Double, Double> e : after.entrySet()) {
            double count = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            OUT.printf(Locale.ROOT, "    le %-6s %6.0f  (%.1f%%)%n", e.getKey().isInfinite() ? "+Inf" : e.getKey().toString(),
                    count, total == 0 ? 0 : 100 * count / total);
        }
        double p99Bound = after.keySet().stream().filter(le -> (after.get(le) - before.getOrDefault(le, 0.0)) >= 0.99 * total)
                .min(Double::compare).orElse(Double.NaN);
        OUT.printf(Locale.ROOT, "  p99 <= %s s (the histogram's bucket bound)%n", p99Bound);
        trips.print();
    }

    /**
     * A finer measure than the API server's 5/25 ms buckets: while the pods are created, a server-side dry-run pod
     * create every 50 ms, alternately in the run's virtual namespace (admitted through skci's webhook) and in a
     * namespace the webhook does not cover, timed end to end from the client. The difference of the two
     * distributions is what the webhook adds to a pod create, TLS and the API server's webhook client included.
     */
    static final class RoundTrips {
        private final List<Long> viaWebhook = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<Long> without = java.util.Collections.synchronizedList(new ArrayList<>());
        private volatile Thread thread;

        void start(KubernetesClient client, String virtualNamespace) {
            String plain = "bench-no-webhook";
            if (client.namespaces().withName(plain).get() == null) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(plain).endMetadata().build()).create();
            }
            thread = Thread.ofPlatform().daemon().name("dry-run-sampler").start(() -> {
                int i = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    boolean hook = i++ % 2 == 0;
                    String ns = hook ? virtualNamespace : plain;
                    io.fabric8.kubernetes.api.model.Pod pod = new io.fabric8.kubernetes.api.model.PodBuilder()
                            .withNewMetadata().withName("dry-run-" + i).withNamespace(ns).endMetadata()
                            .withNewSpec().addNewContainer().withName("app").withImage("registry.example/app:1").endContainer().endSpec()
                            .build();
                    long t0 = System.nanoTime();
                    try {
                        client.pods().inNamespace(ns).resource(pod).dryRun().create();
                        (hook ? viaWebhook : without).add((System.nanoTime() - t0) / 1000);
                    } catch (RuntimeException e) {
                        // the run's namespace is not there yet, or already gone
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void stop() throws InterruptedException {
            if (thread != null) {
                thread.interrupt();
                thread.join();
            }
        }

        void print() {
            long[] w = viaWebhook.stream().mapToLong(Long::longValue).sorted().toArray();
            long[] n = without.stream().mapToLong(Long::longValue).sorted().toArray();
            if (w.length == 0 || n.length == 0) {
                OUT.println("  dry-run round trips: none measured");
                return;
            }
            OUT.printf(Locale.ROOT, "  dry-run pod create round trip, through the webhook (%d): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    w.length, q(w, 0.5) / 1000.0, q(w, 0.99) / 1000.0, w[w.length - 1] / 1000.0);
            OUT.printf(Locale.ROOT, "  dry-run pod create round trip, no webhook      (%d): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    n.length, q(n, 0.5) / 1000.0, q(n, 0.99) / 1000.0, n[n.length - 1] / 1000.0);
            OUT.printf(Locale.ROOT, "  what the webhook adds: p50 %.2f ms, p99 %.2f ms%n", (q(w, 0.5) - q(n, 0.5)) / 1000.0,
                    (q(w, 0.99) - q(n, 0.99)) / 1000.0);
        }
    }

    /** Cumulative bucket counts of the webhook's admission histogram, by upper bound. */
    static Map<Double, Double> admissionHistogram(KubernetesClient client) {
        Map<Double, Double> buckets = new TreeMap<>();
        String metrics = client.raw(client.getMasterUrl().toString().replaceAll("/$", "") + "/metrics");
        for (String line : metrics.split("\n")) {
            if (line.startsWith("apiserver_admission_webhook_admission_duration_seconds_bucket")
                    && line.contains("name=\"mutate-pods.skci.dev\"") && line.contains("operation=\"CREATE\"")) {
                String le = line.replaceAll(".*le=\"([^\"]+)\".*", "$1");
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                double count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                buckets.merge(bound, count, Double::sum);
            }
        }
        return buckets;
    }

    static void gates(Path dir, int runs) throws InterruptedException {
        Path trace = configMapTrace(dir, "gates", 2, 1);
        List<Double> warm = new ArrayList<>();
        List<Double> cold = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            ClusterSpec spec = new ClusterSpec("bench-gates-" + i, 3, ClusterSpec.NodeShape.DEFAULT);
            ClusterProvider provider = Providers.create("local", ProviderOptions.defaults(line -> { }));
            long t = System.nanoTime();
            try (Session session = Session.open(provider, spec, false, line -> { })) {
                SimulationResult first = run(session, trace, Double.POSITIVE_INFINITY, "cold");
                double boot = (System.nanoTime() - t) / 1e9 - first.harness().wall().toMillis() / 1000.0;
                cold.add(boot + gateSeconds(first));
                warm.add(gateSeconds(run(session, trace, Double.POSITIVE_INFINITY, "warm")));
            }
        }
        OUT.printf(Locale.ROOT, "gates: %d fresh clusters; all ten gates%n", runs);
        OUT.printf(Locale.ROOT, "  warm cluster (second run on it): median %.2f s  (runs %s)%n", median(warm), warm);
        OUT.printf(Locale.ROOT, "  from a cold 'cluster up' (boot + gates of the first run): median %.2f s  (runs %s)%n",
                median(cold), cold);
    }

    private static double gateSeconds(SimulationResult r) {
        return r.harness().gates().stream().map(GateResult::waited).mapToLong(Duration::toMillis).sum() / 1000.0;
    }

    // ---------------------------------------------------------------- stats

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double median(List<Double> v) {
        return median(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static long q(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double d : v) {
            b.append(b.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", d));
        }
        return b.toString();
    }
}
