package dev.skci.observe;

import dev.skci.replay.Desired;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns what the observer recorded (one record per pod and node, with the time of each transition) and
 * what the trace asked for ({@link Desired}) into {@link Metrics}. Everything is computed afterwards from
 * those records, by sweeping over their transitions in trace time, so observing costs nothing per sample
 * while the simulation runs, and peaks between samples are not missed.
 */
public final class MetricsBuilder {
    /** A pod reported Unschedulable and deleted sooner than this (trace time) was only briefly pending. */
    static final double BRIEFLY_PENDING_TRACE_SECONDS = 5;
    private static final int MAX_REASONS = 10;

    /**
     * What the metrics are built from.
     *
     * @param traceSpan trace seconds from the first event to the end of the trace window
     * @param speed the replay speed; infinite ({@code --speed max}) keeps no trace time, so trace time is wall time
     * @param replayStart the wall-clock moment trace time 0 was replayed
     * @param end when observing ended
     */
    public record Inputs(List<PodRecord> pods, List<NodeRecord> nodes, Map<String, Long> events,
            Map<String, List<Desired.Change>> desired, java.util.function.Function<String, Desired.Shape> shapes, long traceStart,
            long traceSpan, double speed, Instant replayStart, Instant end) {}

    private final Inputs in;
    private final double scale;

    private MetricsBuilder(Inputs in) {
        this.in = in;
        this.scale = Double.isInfinite(in.speed()) ? 1 : in.speed();
    }

    public static Metrics build(Inputs in) {
        return new MetricsBuilder(in).build();
    }

    /** Trace seconds since trace time 0 for an observed moment; {@code +inf} for "never". */
    double t(Instant at) {
        if (at == null) {
            return Double.POSITIVE_INFINITY;
        }
        return Duration.between(in.replayStart(), at).toNanos() / 1e9 * scale;
    }

    private static Duration traceDuration(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    private Metrics build() {
        Set<String> virtualNodes = new TreeSet<>();
        in.nodes().stream().filter(NodeRecord::virtual).forEach(n -> virtualNodes.add(n.name()));
        Sweep sweep = sweep(virtualNodes);
        double used = in.pods().stream().map(PodRecord::node).filter(n -> n != null && virtualNodes.contains(n)).distinct().count();
        return new Metrics(pods(), new Metrics.Nodes(sweep.peak[NODES], sweep.now[NODES], used),
                resource(sweep, CPU_REQ, CPU_ALLOC, 1000.0), resource(sweep, MEM_REQ, MEM_ALLOC, 1.0),
                events(), workloads(), fidelity(), sweep.samples);
    }

    // ---- pods

    private boolean unschedulable(PodRecord p) {
        if (p.unschedulableSince() == null || p.scheduled() != null) {
            return false;
        }
        return p.deleted() == null || t(p.deleted()) - t(p.unschedulableSince()) >= BRIEFLY_PENDING_TRACE_SECONDS;
    }

    private Metrics.Pods pods() {
        List<Duration> sched = new ArrayList<>();
        List<Duration> startup = new ArrayList<>();
        Map<String, Integer> reasons = new HashMap<>();
        double scheduled = 0, unschedulable = 0, pendingAtEnd = 0, runningAtEnd = 0, succeeded = 0, failed = 0;
        for (PodRecord p : in.pods()) {
            if (p.scheduled() != null) {
                scheduled++;
                sched.add(Duration.between(p.created(), p.scheduled()));
            }
            if (p.running() != null) {
                startup.add(Duration.between(p.created(), p.running()));
            }
            if (unschedulable(p)) {
                unschedulable++;
                reasons.merge(reason(p.schedulerMessage()), 1, Integer::sum);
            }
            boolean gone = p.deleted() != null;
            if (!gone && p.running() == null && p.finished() == null) {
                pendingAtEnd++;
            }
            if (!gone && p.running() != null && p.finished() == null) {
                runningAtEnd++;
            }
            if ("Succeeded".equals(p.phase())) {
                succeeded++;
            } else if ("Failed".equals(p.phase())) {
                failed++;
            }
        }
        List<Metrics.Reason> top = reasons.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_REASONS).map(e -> new Metrics.Reason(e.getKey(), e.getValue())).toList();
        return new Metrics.Pods(in.pods().size(), scheduled, unschedulable, pendingAtEnd, runningAtEnd, succeeded, failed,
                latency(sched), latency(startup), top);
    }

    /** The scheduler's message without its preemption advice, which only repeats the counts. */
    static String reason(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        String m = message.strip();
        int preemption = m.indexOf(" preemption:");
        if (preemption > 0) {
            m = m.substring(0, preemption).strip();
        }
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }

    private Metrics.Latency latency(List<Duration> wall) {
        List<Duration> trace = wall.stream().map(d -> traceDuration(d.toNanos() / 1e9 * scale)).toList();
        return new Metrics.Latency(quantiles(wall), quantiles(trace));
    }

    static Metrics.Quantiles quantiles(List<Duration> values) {
        List<Duration> s = values.stream().sorted().toList();
        return new Metrics.Quantiles(s.size(), rank(s, 0.5), rank(s, 0.9), rank(s, 0.99), s.isEmpty() ? Duration.ZERO : s.getLast());
    }

    private static Duration rank(List<Duration> sorted, double q) {
        if (sorted.isEmpty()) {
            return Duration.ZERO;
        }
        int i = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(q * sorted.size()) - 1));
        return sorted.get(i);
    }

    private Map<String, Double> events() {
        Map<String, Double> out = new TreeMap<>();
        Metrics.KNOWN_EVENT_REASONS.forEach(r -> out.put(r, 0.0));
        in.events().forEach((r, n) -> out.put(r, n.doubleValue()));
        return out;
    }

    // ---- the timeline: a sweep over every transition

    static final int TOTAL = 0, PENDING = 1, UNSCHED = 2, RUNNING = 3, SUCCEEDED = 4, FAILED = 5, CPU_REQ = 6, MEM_REQ = 7,
            NODES = 8, CPU_ALLOC = 9, MEM_ALLOC = 10, FIELDS = 11;

    private record Delta(double t, int field, double by) {}

    private static final class Sweep {
        final double[] now = new double[FIELDS];
        final double[] peak = new double[FIELDS];
        double peakCpuUtil;
        double peakMemUtil;
        final List<Metrics.Sample> samples = new ArrayList<>();
    }

    private static double first(double... ts) {
        double m = Double.POSITIVE_INFINITY;
        for (double t : ts) {
            m = Math.min(m, t);
        }
        return m;
    }

    private static void add(List<Delta> out, int field, double from, double to, double by) {
        if (from == Double.POSITIVE_INFINITY || from >= to) {
            return;
        }
        out.add(new Delta(Math.max(0, from), field, by));
        if (to != Double.POSITIVE_INFINITY) {
            out.add(new Delta(Math.max(0, to), field, -by));
        }
    }

    private Sweep sweep(Set<String> virtualNodes) {
        List<Delta> deltas = new ArrayList<>();
        for (PodRecord p : in.pods()) {
            double c = t(p.created()), s = t(p.scheduled()), r = t(p.running()), f = t(p.finished()), d = t(p.deleted());
            double u = t(p.unschedulableSince());
            add(deltas, TOTAL, c, d, 1);
            add(deltas, PENDING, c, first(r, f, d), 1);
            add(deltas, RUNNING, r, first(f, d), 1);
            if ("Succeeded".equals(p.phase())) {
                add(deltas, SUCCEEDED, f, d, 1);
            } else if ("Failed".equals(p.phase())) {
                add(deltas, FAILED, f, d, 1);
            }
            add(deltas, UNSCHED, u, first(s, d), 1);
            if (p.node() != null && virtualNodes.contains(p.node())) {
                add(deltas, CPU_REQ, s, first(f, d), p.cpuMillis());
                add(deltas, MEM_REQ, s, first(f, d), p.memoryBytes());
            }
        }
        for (NodeRecord n : in.nodes()) {
            if (n.virtual()) {
                double ready = t(n.ready()), gone = t(n.deleted());
                add(deltas, NODES, ready, gone, 1);
                add(deltas, CPU_ALLOC, ready, gone, n.cpuMillis());
                add(deltas, MEM_ALLOC, ready, gone, n.memoryBytes());
            }
        }
        deltas.sort(Comparator.comparingDouble(Delta::t));
        Sweep sw = new Sweep();
        double end = Math.max(in.traceSpan(), t(in.end()));
        int i = 0;
        double[] lastSampled = null;
        for (long second = 0; ; second++) {
            double upTo = Math.min(second, end);
            while (i < deltas.size() && deltas.get(i).t() <= upTo) {
                double at = deltas.get(i).t();
                while (i < deltas.size() && deltas.get(i).t() == at) {
                    Delta d = deltas.get(i++);
                    sw.now[d.field()] += d.by();
                }
                peaks(sw);
            }
            boolean last = upTo >= end;
            if (lastSampled == null || last || !java.util.Arrays.equals(lastSampled, sw.now)) {
                sw.samples.add(sample(upTo, sw.now));
                lastSampled = sw.now.clone();
            }
            if (last) {
                break;
            }
        }
        peaks(sw);
        return sw;
    }

    private static void peaks(Sweep sw) {
        for (int f = 0; f < FIELDS; f++) {
            sw.peak[f] = Math.max(sw.peak[f], sw.now[f]);
        }
        if (sw.now[CPU_ALLOC] > 0) {
            sw.peakCpuUtil = Math.max(sw.peakCpuUtil, sw.now[CPU_REQ] / sw.now[CPU_ALLOC]);
        }
        if (sw.now[MEM_ALLOC] > 0) {
            sw.peakMemUtil = Math.max(sw.peakMemUtil, sw.now[MEM_REQ] / sw.now[MEM_ALLOC]);
        }
    }

    private Metrics.Sample sample(double t, double[] v) {
        return new Metrics.Sample(traceDuration(t), traceDuration(t / scale),
                new Metrics.SamplePods(v[TOTAL], v[PENDING], v[UNSCHED], v[RUNNING], v[SUCCEEDED], v[FAILED]), v[NODES],
                new Metrics.SampleResource(v[CPU_REQ] / 1000.0, v[CPU_ALLOC] / 1000.0),
                new Metrics.SampleResource(v[MEM_REQ], v[MEM_ALLOC]));
    }

    private Metrics.Resource resource(Sweep sw, int requested, int allocatable, double unit) {
        double util = requested == CPU_REQ ? sw.peakCpuUtil : sw.peakMemUtil;
        return new Metrics.Resource(sw.peak[requested] / unit, sw.peak[allocatable] / unit, util);
    }

    // ---- workloads and fidelity

    /** Per workload: pods, and the integrals fidelity needs. */
    private record Judged(Metrics.Workload workload, double realisedSeconds, double requestedSeconds, boolean replicated) {}

    private Map<String, Judged> judged;

    private Map<String, Judged> judged() {
        if (judged != null) {
            return judged;
        }
        Map<String, List<PodRecord>> byWorkload = new TreeMap<>();
        for (PodRecord p : in.pods()) {
            if (p.workload() != null) {
                byWorkload.computeIfAbsent(p.workload(), k -> new ArrayList<>()).add(p);
            }
        }
        Set<String> all = new TreeSet<>(byWorkload.keySet());
        all.addAll(in.desired().keySet());
        judged = new LinkedHashMap<>();
        for (String w : all) {
            judged.put(w, judge(w, byWorkload.getOrDefault(w, List.of()), in.desired().getOrDefault(w, List.of())));
        }
        return judged;
    }

    private Judged judge(String workload, List<PodRecord> pods, List<Desired.Change> changes) {
        String kind = workload.substring(0, workload.indexOf(' '));
        boolean replicated = in.shapes().apply(workload) == Desired.Shape.REPLICAS;
        boolean bare = kind.equals("Pod");
        // live(t): pods that exist and (for controllers' pods) have not finished
        List<double[]> live = new ArrayList<>();
        double created = pods.size(), scheduled = 0, running = 0, completions = 0;
        for (PodRecord p : pods) {
            double until = bare ? t(p.deleted()) : first(t(p.finished()), t(p.deleted()));
            live.add(new double[] {Math.max(0, t(p.created())), until});
            scheduled += p.scheduled() != null ? 1 : 0;
            running += p.running() != null ? 1 : 0;
            completions += "Succeeded".equals(p.phase()) ? 1 : 0;
        }
        Step liveSteps = Step.of(live);
        double desiredPeak = replicated ? changes.stream().mapToInt(Desired.Change::replicas).max().orElse(0) : 0;
        double lag = 0, requested = 0, reached = 0, requestedSeconds = 0, realisedSeconds = 0;
        if (replicated && !Double.isInfinite(in.speed())) {
            double span = in.traceSpan();
            int previous = 0;
            for (int i = 0; i < changes.size(); i++) {
                Desired.Change c = changes.get(i);
                double from = Math.max(0, c.ts() - in.traceStart());
                double to = i + 1 < changes.size() ? Math.max(0, changes.get(i + 1).ts() - in.traceStart()) : span;
                to = Math.min(to, span);
                if (to > from && c.replicas() > 0) {
                    requestedSeconds += c.replicas() * (to - from);
                    realisedSeconds += liveSteps.integralOfMin(from, to, c.replicas());
                }
                if (c.replicas() > previous && to > from) {
                    requested++;
                    double at = liveSteps.firstReaching(c.replicas(), from, to);
                    if (at < to) {
                        reached++;
                        lag = Math.max(lag, at - from);
                    } else {
                        lag = Math.max(lag, to - from);
                    }
                }
                previous = c.replicas();
            }
        }
        double podSeconds = requestedSeconds > 0 ? Math.min(1, realisedSeconds / requestedSeconds) : 1;
        var w = new Metrics.Workload(kind, desiredPeak, liveSteps.peak(), created, scheduled, running, completions,
                traceDuration(lag), requested, reached, podSeconds);
        return new Judged(w, realisedSeconds, requestedSeconds, replicated && requestedSeconds > 0);
    }

    private Map<String, Metrics.Workload> workloads() {
        Map<String, Metrics.Workload> out = new TreeMap<>();
        Map<String, Integer> names = new HashMap<>();
        judged().keySet().forEach(k -> names.merge(k.substring(k.indexOf(' ') + 1), 1, Integer::sum));
        judged().forEach((k, j) -> {
            String nsName = k.substring(k.indexOf(' ') + 1);
            out.put(names.get(nsName) > 1 ? nsName + " (" + j.workload().kind() + ")" : nsName, j.workload());
        });
        return out;
    }

    private Metrics.Fidelity fidelity() {
        double realised = 0, requested = 0, counts = 0, reached = 0;
        for (Judged j : judged().values()) {
            if (j.replicated()) {
                realised += j.realisedSeconds();
                requested += j.requestedSeconds();
                counts += j.workload().countsRequested();
                reached += j.workload().countsReached();
            }
        }
        boolean applicable = requested > 0 && !Double.isInfinite(in.speed());
        return new Metrics.Fidelity(applicable, applicable ? Math.min(1, realised / requested) : 1, counts, reached);
    }

    /** A step function of how many intervals cover each moment. */
    static final class Step {
        final double[] at;     // breakpoints, ascending
        final int[] value;     // value from at[i] to at[i+1]

        private Step(double[] at, int[] value) {
            this.at = at;
            this.value = value;
        }

        static Step of(List<double[]> intervals) {
            TreeMap<Double, Integer> delta = new TreeMap<>();
            for (double[] iv : intervals) {
                if (iv[1] > iv[0]) {
                    delta.merge(iv[0], 1, Integer::sum);
                    if (iv[1] != Double.POSITIVE_INFINITY) {
                        delta.merge(iv[1], -1, Integer::sum);
                    }
                }
            }
            double[] at = new double[delta.size()];
            int[] value = new int[delta.size()];
            int i = 0;
            int v = 0;
            for (Map.Entry<Double, Integer> e : delta.entrySet()) {
                v += e.getValue();
                at[i] = e.getKey();
                value[i++] = v;
            }
            return new Step(at, value);
        }

        int valueAt(double t) {
            int i = java.util.Arrays.binarySearch(at, t);
            i = i >= 0 ? i : -i - 2;
            return i < 0 ? 0 : value[i];
        }

        double peak() {
            int m = 0;
            for (int v : value) {
                m = Math.max(m, v);
            }
            return m;
        }

        /** ∫ min(value, cap) over [from, to). */
        double integralOfMin(double from, double to, int cap) {
            double sum = 0;
            double t = from;
            int v = valueAt(from);
            int i = java.util.Arrays.binarySearch(at, from);
            i = i >= 0 ? i + 1 : -i - 1;
            for (; i < at.length && at[i] < to; i++) {
                sum += Math.min(v, cap) * (at[i] - t);
                t = at[i];
                v = value[i];
            }
            return sum + Math.min(v, cap) * (to - t);
        }

        /** The first moment in [from, to) at which value ≥ n; {@code to} when there is none. */
        double firstReaching(int n, double from, double to) {
            if (valueAt(from) >= n) {
                return from;
            }
            int i = java.util.Arrays.binarySearch(at, from);
            i = i >= 0 ? i + 1 : -i - 1;
            for (; i < at.length && at[i] < to; i++) {
                if (value[i] >= n) {
                    return at[i];
                }
            }
            return to;
        }
    }
}
