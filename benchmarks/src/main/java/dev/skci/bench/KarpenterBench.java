package dev.skci.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.autoscaler.KarpenterManifests;
import dev.skci.autoscaler.KarpenterSpec;
import dev.skci.cluster.Bootstrap;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.ProviderOptions;
import dev.skci.cluster.Providers;
import dev.skci.replay.ReplayPlan;
import dev.skci.result.SimulationResult;
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
import dev.skci.wait.Deadline;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Karpenter in the loop (issue 11): how long the simulation waits for a node. A Deployment goes from 0 to {@code pods}
 * replicas of 1 CPU; with Karpenter and no nodes, the time from the first pod reported Unschedulable to the first node
 * Karpenter made being Ready, and to every pod scheduled; the baseline, in the same run on the same cluster, is the same
 * trace on static virtual nodes with room for every pod (first pod created to every pod scheduled). Measured by watches
 * of its own, wall clock, at each speed given (Karpenter's batch window is divided by it).
 *
 * <pre>
 *   karpenter-provisioning [--rounds 3] [--pods 30] [--speeds 1,10] [--cluster bench-karp] [--keep]
 * </pre>
 */
public final class KarpenterBench {
    private static final PrintStream OUT = System.out;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long T0 = 1_750_000_000L;

    private KarpenterBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Benchmarks.options(args);
        Path dir = Path.of(opts.getOrDefault("dir", "target/bench")).toAbsolutePath();
        Files.createDirectories(dir);
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "3"));
        int pods = Integer.parseInt(opts.getOrDefault("pods", "30"));
        double[] speeds = Arrays.stream(opts.getOrDefault("speeds", "1,10").split(",")).mapToDouble(Double::parseDouble).toArray();
        Path trace = burstTrace(dir, pods);
        KarpenterSpec karpenter = nodePool(dir);
        int staticNodes = pods / 7 + 1; // 8-CPU nodes hold 7 pods of 1 CPU

        ClusterSpec empty = new ClusterSpec(opts.getOrDefault("cluster", "bench-karp"), 0, ClusterSpec.NodeShape.DEFAULT);
        ClusterSpec withNodes = new ClusterSpec(empty.name(), staticNodes, ClusterSpec.NodeShape.DEFAULT);
        ClusterProvider provider = Providers.create("local", ProviderOptions.defaults(line -> System.err.println("bench: " + line)));
        try (Session session = Session.open(provider, empty, opts.containsKey("keep"), line -> System.err.println("bench: " + line))) {
            KubernetesClient client = session.cluster().client();
            run(session, trace, 10, Optional.of(karpenter), "warm"); // JIT, connections, Karpenter's first start
            Map<String, List<Round>> results = new java.util.LinkedHashMap<>();
            for (int i = 0; i < rounds; i++) {
                for (double speed : speeds) { // interleaved, so drift in the machine's load hits each alike
                    new Bootstrap(client).run(withNodes);
                    results.computeIfAbsent("static nodes, speed " + fmt(speed), k -> new ArrayList<>())
                            .add(run(session, trace, speed, Optional.empty(), "static" + i));
                    new Bootstrap(client).run(empty);
                    results.computeIfAbsent("Karpenter, speed " + fmt(speed), k -> new ArrayList<>())
                            .add(run(session, trace, speed, Optional.of(karpenter), "karp" + i));
                }
            }
            OUT.printf(Locale.ROOT, "karpenter-provisioning: a Deployment 0 -> %d pods of 1 CPU, %d rounds; static baseline: %d nodes "
                    + "of 8 CPU; Karpenter: no nodes, NodePool without limits, consolidation off%n", pods, rounds, staticNodes);
            for (var e : results.entrySet()) {
                List<Round> r = e.getValue();
                OUT.printf(Locale.ROOT, "  %-22s first pending -> first node Ready: median %s s (%s); first pod -> all %d scheduled: "
                                + "median %.2f s (%s); nodes made: %s%n", e.getKey(),
                        r.getFirst().nodeReady() < 0 ? "-" : String.format(Locale.ROOT, "%.2f", median(r, Round::nodeReady)),
                        list(r, Round::nodeReady), pods, median(r, Round::allScheduled), list(r, Round::allScheduled),
                        list(r, Round::nodesMade));
            }
            for (double speed : speeds) {
                List<Round> s = results.get("static nodes, speed " + fmt(speed));
                List<Round> k = results.get("Karpenter, speed " + fmt(speed));
                double[] ratio = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    ratio[i] = k.get(i).allScheduled() / s.get(i).allScheduled();
                }
                OUT.printf(Locale.ROOT, "  speed %s: all scheduled with Karpenter / with static nodes: median of paired rounds %.1f (%s)%n",
                        fmt(speed), median(ratio), Arrays.stream(ratio).mapToObj(x -> String.format(Locale.ROOT, "%.1f", x)).toList());
            }
        }
    }

    /** Wall seconds; {@code nodeReady} is -1 without Karpenter. */
    record Round(double nodeReady, double allScheduled, double nodesMade) {}

    private static Round run(Session session, Path trace, double speed, Optional<KarpenterSpec> karpenter, String prefix)
            throws InterruptedException {
        TraceFile f = TraceFile.open(trace);
        KubernetesClient client = session.cluster().client();
        try (Watch w = new Watch(client)) {
            SimulationRun.Options o = SimulationRun.Options.defaults().withSpeed(speed).withNamespacePrefix(prefix)
                    .withKarpenter(karpenter).withConsole(new PrintStream(PrintStream.nullOutputStream()));
            SimulationResult r = new SimulationRun(session.cluster(), o, SimulationRun.Hooks.NONE)
                    .run(f, ReplayPlan.scan(f, Optional.empty()), Deadline.after(Duration.ofMinutes(10)));
            Round round = w.round(karpenter.isPresent());
            System.err.printf(Locale.ROOT, "bench: %s at speed %s: %s, node Ready after %.2f s, all scheduled after %.2f s, %d node(s)%n",
                    prefix, fmt(speed), r.verdict().outcome(), round.nodeReady(), round.allScheduled(), (long) round.nodesMade());
            return round;
        }
    }

    /** The bench's own view: when the first pod appeared and went Unschedulable, when each was scheduled, nodes Ready. */
    private static final class Watch implements AutoCloseable {
        final SharedIndexInformer<Pod> pods;
        final SharedIndexInformer<Node> nodes;
        final Map<String, Long> created = new ConcurrentHashMap<>();
        final Map<String, Long> scheduled = new ConcurrentHashMap<>();
        final Map<String, Long> ready = new ConcurrentHashMap<>();
        volatile long firstUnschedulable = -1;

        Watch(KubernetesClient client) {
            pods = client.pods().inAnyNamespace().withLabel("simkube.io/simulation").inform(handler(p -> {
                long now = System.nanoTime();
                String key = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
                created.putIfAbsent(key, now);
                if (p.getSpec().getNodeName() != null) {
                    scheduled.putIfAbsent(key, now);
                }
                if (firstUnschedulable < 0 && p.getStatus() != null && p.getStatus().getConditions() != null
                        && p.getStatus().getConditions().stream().anyMatch(c -> "PodScheduled".equals(c.getType())
                                && "Unschedulable".equals(c.getReason()))) {
                    firstUnschedulable = now;
                }
            }));
            nodes = client.nodes().withLabel("karpenter.sh/nodepool").inform(handler(n -> {
                if (n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
                    ready.putIfAbsent(n.getMetadata().getName(), System.nanoTime());
                }
            }));
        }

        Round round(boolean karpenter) {
            long first = created.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            long all = scheduled.values().stream().mapToLong(Long::longValue).max().orElse(first);
            long node = ready.values().stream().mapToLong(Long::longValue).min().orElse(-1);
            double nodeReady = !karpenter || node < 0 || firstUnschedulable < 0 ? -1 : (node - firstUnschedulable) / 1e9;
            return new Round(nodeReady, (all - first) / 1e9, ready.size());
        }

        @Override
        public void close() {
            pods.stop();
            nodes.stop();
        }
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> seen) {
        return dev.skci.observe.Observer.handler(seen, gone -> { });
    }

    private static KarpenterSpec nodePool(Path dir) throws Exception {
        Path f = dir.resolve("karpenter-bench-nodepool.yaml");
        Files.writeString(f, """
                apiVersion: karpenter.sh/v1
                kind: NodePool
                metadata: {name: bench}
                spec:
                  template:
                    spec:
                      requirements:
                        - {key: kubernetes.io/os, operator: In, values: [linux]}
                        - {key: karpenter.sh/capacity-type, operator: In, values: [on-demand]}
                  disruption: {consolidateAfter: Never}
                """);
        KarpenterManifests.Read r = KarpenterManifests.read(List.of(f), "nodePools");
        return new KarpenterSpec(r.nodePools(), r.nodeClasses(), Optional.empty(), Optional.empty(), Optional.empty(), f.toString());
    }

    /** One Deployment: 0 replicas at the start, {@code pods} at 2 s, kept until 20 s. */
    static Path burstTrace(Path dir, int pods) {
        List<TraceEvent> events = List.of(
                new TraceEvent(T0, List.of(deployment(0)), List.of()),
                new TraceEvent(T0 + 2, List.of(deployment(pods)), List.of()),
                new TraceEvent(T0 + 20, List.of(), List.of()));
        ObjectNode config = NODES.objectNode();
        config.putObject("trackedObjects");
        Path p = dir.resolve("karpenter-burst-" + pods + ".sktrace");
        TraceWriter.write(new Trace(new TracerConfig(config), events, TraceIndex.empty(), PodLifecycles.empty()), p);
        return p;
    }

    private static KubeObject deployment(int replicas) {
        ObjectNode o = NODES.objectNode();
        o.put("apiVersion", "apps/v1");
        o.put("kind", "Deployment");
        o.putObject("metadata").put("name", "burst").put("namespace", "shop");
        ObjectNode spec = o.putObject("spec");
        spec.put("replicas", replicas);
        spec.putObject("selector").putObject("matchLabels").put("app", "burst");
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", "burst");
        ObjectNode c = template.putObject("spec").putArray("containers").addObject();
        c.put("name", "app");
        c.put("image", "registry.example/app:1.2.3");
        c.putObject("resources").putObject("requests").put("cpu", "1").put("memory", "1Gi");
        return new KubeObject(o);
    }

    private static String fmt(double speed) {
        return speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed);
    }

    private static double median(List<Round> r, java.util.function.ToDoubleFunction<Round> f) {
        return median(r.stream().mapToDouble(f).toArray());
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String list(List<Round> r, java.util.function.ToDoubleFunction<Round> f) {
        return r.stream().map(x -> String.format(Locale.ROOT, f.applyAsDouble(x) == Math.rint(f.applyAsDouble(x)) ? "%.0f" : "%.2f",
                f.applyAsDouble(x))).toList().toString();
    }
}
