package dev.skci.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.skci.webhook.AdmissionServer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What watching the workload costs the runner (issue 10): the same 5,000-pod replay with the observer watching the
 * run's pods and events, and without (nodes only), alternating in one run on one cluster. Measured: the runner JVM's
 * CPU time over the whole simulation (gates, replay, webhook admissions, observation, judging, cleanup) and its heap
 * after a full GC at the trace's peak, when the observer holds the most.
 *
 * <pre>
 *   observer-overhead [--deployments 100] [--peak 50] [--low 12] [--speed 4] [--rounds 2] [--nodes 100]
 * </pre>
 */
public final class ObserverBench {
    private static final PrintStream OUT = System.out;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long T0 = 1_750_000_000L;

    private ObserverBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Benchmarks.options(args);
        Path dir = Path.of(opts.getOrDefault("dir", "target/bench"));
        Files.createDirectories(dir);
        int deployments = Integer.parseInt(opts.getOrDefault("deployments", "100"));
        int peak = Integer.parseInt(opts.getOrDefault("peak", "50"));
        int low = Integer.parseInt(opts.getOrDefault("low", "12"));
        double speed = Double.parseDouble(opts.getOrDefault("speed", "4"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "2"));
        int nodes = Integer.parseInt(opts.getOrDefault("nodes", "100"));
        Path trace = scalingTrace(dir, deployments, low, peak);

        ClusterSpec spec = new ClusterSpec(opts.getOrDefault("cluster", "bench-obs"), nodes,
                new ClusterSpec.NodeShape("16", "64Gi", 110));
        ClusterProvider provider = Providers.create("local", ProviderOptions.defaults(line -> System.err.println("bench: " + line)));
        try (Session session = Session.open(provider, spec, opts.containsKey("keep"), line -> System.err.println("bench: " + line))) {
            run(session, scalingTrace(dir, 10, 2, 5), speed, true, 0, "warm"); // JIT, connections, the webhook's caches
            List<Round> on = new ArrayList<>();
            List<Round> off = new ArrayList<>();
            for (int i = 0; i < rounds; i++) { // interleaved, so drift in the machine's load hits both alike
                off.add(run(session, trace, speed, false, deployments * peak, "obs-off" + i));
                on.add(run(session, trace, speed, true, deployments * peak, "obs-on" + i));
            }
            OUT.printf(Locale.ROOT, "observer-overhead: %d Deployments %d -> %d -> %d replicas (peak %d pods), speed %s, %d nodes, "
                    + "%d rounds each%n", deployments, low, peak, low, deployments * peak, fmtSpeed(speed), nodes, rounds);
            for (var e : Map.of("without (nodes only)", off, "with the observer", on).entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())).toList()) {
                List<Round> r = e.getValue();
                OUT.printf(Locale.ROOT, "  %-21s CPU median %.1f s (rounds %s), heap at peak median %.0f MiB (rounds %s, sampled at "
                                + "%s pods), pods created %s, fidelity %s, outcomes %s%n", e.getKey(),
                        median(r.stream().mapToDouble(Round::cpuSeconds).toArray()), fmt(r, Round::cpuSeconds, "%.1f"),
                        median(r.stream().mapToDouble(Round::heapMiB).toArray()), fmt(r, Round::heapMiB, "%.0f"),
                        fmt(r, Round::sampledPods, "%.0f"), fmt(r, Round::podsCreated, "%.0f"), fmt(r, Round::podSeconds, "%.2f"),
                        String.join(", ", r.stream().map(Round::outcome).toList()));
            }
            double[] cpuRatio = new double[rounds];
            double[] heapDelta = new double[rounds];
            double[] perPodKiB = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                cpuRatio[i] = on.get(i).cpuSeconds() / off.get(i).cpuSeconds();
                heapDelta[i] = on.get(i).heapMiB() - off.get(i).heapMiB();
                // per pod the observer held at its sample (the pods it had seen), not the trace's nominal peak
                perPodKiB[i] = heapDelta[i] * 1024 / Math.max(1, on.get(i).sampledPods());
            }
            OUT.printf(Locale.ROOT, "  CPU ratio with/without: median of paired rounds %.2f (rounds %s)%n", median(cpuRatio),
                    fmt(cpuRatio, "%.2f"));
            OUT.printf(Locale.ROOT, "  heap with - without at peak: median %.0f MiB (rounds %s) = median %.1f KiB per pod (rounds %s)%n",
                    median(heapDelta), fmt(heapDelta, "%.0f"), median(perPodKiB), fmt(perPodKiB, "%.1f"));
        }
    }

    record Round(double cpuSeconds, double heapMiB, int sampledPods, double podsCreated, double podSeconds, String outcome) {}

    private static Round run(Session session, Path trace, double speed, boolean observe, int peakPods, String prefix)
            throws InterruptedException {
        TraceFile f = TraceFile.open(trace);
        Sample[] atPeak = new Sample[1];
        Thread[] sampler = new Thread[1];
        SimulationRun.Hooks hooks = new SimulationRun.Hooks() {
            @Override
            public boolean observePods() {
                return observe;
            }

            @Override
            public void replayStarting(KubernetesClient client, String runName, AdmissionServer server) {
                if (peakPods > 0) {
                    sampler[0] = Thread.ofPlatform().daemon().name("heap-at-peak").start(() -> sampleAtPeak(client, peakPods, atPeak));
                }
            }
        };
        System.gc();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        SimulationRun.Options o = SimulationRun.Options.defaults().withSpeed(speed).withNamespacePrefix(prefix);
        SimulationResult r = new SimulationRun(session.cluster(), o, hooks)
                .run(f, ReplayPlan.scan(f, Optional.empty()), Deadline.after(Duration.ofMinutes(30)));
        double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;
        if (sampler[0] != null) {
            sampler[0].interrupt();
            sampler[0].join();
        }
        Sample peak = atPeak[0] == null ? new Sample(0, Double.NaN) : atPeak[0];
        System.err.printf(Locale.ROOT, "bench: %s: %s, CPU %.1f s, heap %.0f MiB at %d pods%n", prefix, r.verdict().outcome(), cpuSeconds,
                peak.heapMiB(), peak.pods());
        return new Round(cpuSeconds, peak.heapMiB(), peak.pods(), r.admission().mutated(), r.metrics().fidelity().podSeconds(),
                r.verdict().outcome().toString());
    }

    /**
     * Samples the heap in use (MiB, after a full GC) at the largest pod count the Deployments reach, and stops early
     * once they hold 90% of the peak. A run that never gets near the peak (the cluster did not keep up) still gets a
     * sample, at the count it reached, instead of none. The same poll (one LIST of the Deployments a second, a GC at
     * each new high of at least 5% of the peak) runs with and without the observer, so it costs both arms alike.
     */
    private static Sample sampleAtPeak(KubernetesClient client, int peakPods, Sample[] latest) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                int pods = client.apps().deployments().inAnyNamespace().withLabel("app", "obs-bench").list().getItems().stream()
                        .map(Deployment::getStatus).filter(java.util.Objects::nonNull)
                        .mapToInt(s -> s.getReplicas() == null ? 0 : s.getReplicas()).sum();
                boolean atPeak = pods >= 0.9 * peakPods;
                if (latest[0] == null || pods >= latest[0].pods() + 0.05 * peakPods || (atPeak && pods > latest[0].pods())) {
                    System.gc();
                    latest[0] = new Sample(pods, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024));
                }
                if (atPeak) {
                    break;
                }
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("bench: heap sampler: " + e);
        }
        return latest[0];
    }

    record Sample(int pods, double heapMiB) {}

    /** {@code count} Deployments created at {@code low} replicas, scaled to {@code peak} at 60 s, back at 120 s, deleted at 180 s. */
    static Path scalingTrace(Path dir, int count, int low, int peak) {
        List<TraceEvent> events = new ArrayList<>();
        events.add(new TraceEvent(T0, deployments(count, low), List.of()));
        events.add(new TraceEvent(T0 + 60, deployments(count, peak), List.of()));
        events.add(new TraceEvent(T0 + 120, deployments(count, low), List.of()));
        events.add(new TraceEvent(T0 + 180, List.of(), deployments(count, low)));
        ObjectNode config = NODES.objectNode();
        config.putObject("trackedObjects");
        Path p = dir.resolve("observer-" + count + "x" + peak + ".sktrace");
        TraceWriter.write(new Trace(new TracerConfig(config), events, TraceIndex.empty(), PodLifecycles.empty()), p);
        return p;
    }

    private static List<KubeObject> deployments(int count, int replicas) {
        List<KubeObject> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode o = NODES.objectNode();
            o.put("apiVersion", "apps/v1");
            o.put("kind", "Deployment");
            ObjectNode m = o.putObject("metadata");
            m.put("name", "svc-" + i);
            m.put("namespace", "team-" + (i % 4));
            m.putObject("labels").put("app", "obs-bench");
            ObjectNode spec = o.putObject("spec");
            spec.put("replicas", replicas);
            spec.putObject("selector").putObject("matchLabels").put("app", "svc-" + i);
            ObjectNode template = spec.putObject("template");
            template.putObject("metadata").putObject("labels").put("app", "svc-" + i);
            ObjectNode c = template.putObject("spec").putArray("containers").addObject();
            c.put("name", "app");
            c.put("image", "registry.example/app:1.2.3");
            c.putObject("resources").putObject("requests").put("cpu", "10m").put("memory", "16Mi");
            out.add(new KubeObject(o));
        }
        return out;
    }

    private static String fmtSpeed(double speed) {
        return Double.isInfinite(speed) ? "max" : String.format(Locale.ROOT, "%s", speed);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String fmt(List<Round> rounds, java.util.function.ToDoubleFunction<Round> f, String format) {
        return fmt(rounds.stream().mapToDouble(f).toArray(), format);
    }

    private static String fmt(double[] v, String format) {
        StringBuilder b = new StringBuilder();
        for (double d : v) {
            b.append(b.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, format, d));
        }
        return b.toString();
    }
}
