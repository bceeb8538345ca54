package dev.skci.report;

import dev.skci.observe.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The baseline comparison every report shows: the metrics a change usually moves, baseline against now.
 * With repeats on both sides, a difference no larger than the spread either side measured is "within
 * noise", not a change; with single runs there is no measure of noise and only the difference is shown.
 */
public final class Comparison {
    /** One metric: its name (as in expectations) and whether a higher value is better. */
    record Metric(String name, ToDoubleFunction<Metrics> value, boolean higherIsBetter, String unit) {}

    static final List<Metric> METRICS = List.of(
            new Metric("pods.created", m -> m.pods().created(), true, ""),
            new Metric("pods.scheduled", m -> m.pods().scheduled(), true, ""),
            new Metric("pods.unschedulable", m -> m.pods().unschedulable(), false, ""),
            new Metric("pods.pendingAtEnd", m -> m.pods().pendingAtEnd(), false, ""),
            new Metric("pods.schedulingLatency.wall.p50", m -> seconds(m.pods().schedulingLatency().wall().p50()), false, "s"),
            new Metric("pods.schedulingLatency.wall.p99", m -> seconds(m.pods().schedulingLatency().wall().p99()), false, "s"),
            new Metric("pods.schedulingLatency.trace.p99", m -> seconds(m.pods().schedulingLatency().trace().p99()), false, "s"),
            new Metric("nodes.peak", m -> m.nodes().peak(), false, ""),
            new Metric("nodes.used", m -> m.nodes().used(), false, ""),
            new Metric("cpu.utilisationPeak", m -> m.cpu().utilisationPeak(), true, ""),
            new Metric("memory.utilisationPeak", m -> m.memory().utilisationPeak(), true, ""),
            new Metric("fidelity.podSeconds", m -> m.fidelity().podSeconds(), true, ""));

    /** One row: the baseline's and this run's value (means over repeats), the change, and what it means. */
    public record Row(String metric, double baseline, double now, double change, String assessment) {
        public String baselineText() {
            return format(baseline);
        }

        public String nowText() {
            return format(now);
        }

        public String changeText() {
            if (baseline == 0) {
                return change == 0 ? "0" : (change > 0 ? "+" : "") + format(change);
            }
            return String.format(Locale.ROOT, "%+.1f%%", 100 * change / baseline);
        }
    }

    private Comparison() {}

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    public static List<Row> rows(List<Metrics> baseline, List<Metrics> now) {
        List<Row> out = new ArrayList<>();
        if (baseline.isEmpty() || now.isEmpty()) {
            return out;
        }
        for (Metric m : METRICS) {
            double[] b = baseline.stream().mapToDouble(m.value()).toArray();
            double[] n = now.stream().mapToDouble(m.value()).toArray();
            double bm = mean(b), nm = mean(n), change = nm - bm;
            String assessment;
            if (Math.abs(change) < 1e-9) {
                assessment = "same";
            } else if (b.length > 1 && n.length > 1 && Math.abs(change) <= Math.max(range(b), range(n))) {
                assessment = "within noise";
            } else {
                assessment = (change > 0) == m.higherIsBetter() ? "better" : "worse";
            }
            out.add(new Row(m.name(), bm, nm, change, assessment));
        }
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double range(double[] v) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return hi - lo;
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) < 10 ? "%.3f" : "%.1f", v);
    }

    /** The table as GitHub-flavoured Markdown. */
    public static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder("| metric | baseline | now | change | |\n|---|---:|---:|---:|---|\n");
        for (Row r : rows) {
            b.append("| `").append(r.metric()).append("` | ").append(r.baselineText()).append(" | ").append(r.nowText()).append(" | ")
                    .append(r.changeText()).append(" | ").append(r.assessment()).append(" |\n");
        }
        return b.toString();
    }

    /** The table as plain text, for the console and {@code skci compare}. */
    public static String text(List<Row> rows) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-36s %12s %12s %9s  %s%n", "METRIC", "BASELINE", "NOW", "CHANGE", ""));
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%-36s %12s %12s %9s  %s%n", r.metric(), r.baselineText(), r.nowText(), r.changeText(),
                    r.assessment()));
        }
        return b.toString();
    }
}
