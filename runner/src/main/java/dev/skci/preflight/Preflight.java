package dev.skci.preflight;

import dev.skci.replay.Desired;
import dev.skci.replay.PodDemand;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Before the cluster boots: how fast the trace asks for pods at a {@code --speed}, against how fast this
 * cluster kind on this machine creates them ({@link Capacity}), and whether the replay can be faithful.
 * "Faithful" is the verdict's own rule: the predicted {@code fidelity.podSeconds} ({@link FidelityModel})
 * reaches the threshold ({@code fidelity.minPodSeconds}) with a margin for a loaded runner. When it does
 * not, the assessment says so with a concrete way out: the highest speed that is, or fewer replicas.
 *
 * @param speed the replay speed (infinite: {@code --speed max}, which keeps no trace time and is not judged)
 * @param creations pods the trace asks to create in the window, in all
 * @param deletions pods it asks to delete
 * @param peak the most demanding moment: the pods asked for at once, and the rate that reaches every count before the
 *             trace changes it again
 * @param capacity what the cluster sustains, and where that figure comes from
 * @param predicted the predicted {@code fidelity.podSeconds} at this speed and capacity (1 when nothing is asked)
 * @param threshold the fidelity threshold the verdict applies
 * @param needed the creation rate at which the prediction reaches threshold + margin at this speed
 * @param fastest the highest speed whose prediction reaches threshold + margin, rounded down; empty when even
 *                a very slow replay would not (one step asks for more than the cluster can hold in time)
 */
public record Preflight(double speed, long creations, long deletions, Peak peak, Capacity capacity, double predicted,
        double threshold, double needed, Optional<Double> fastest) {

    /** Prediction error and a loaded runner: a replay predicted this close to the threshold is warned about. */
    public static final double MARGIN = 0.05;
    private static final double SLOWEST = 0.01;
    private static final double FASTEST = 10_000;

    /**
     * The most demanding step: {@code pods} asked for at trace second {@code at} (relative to the first event),
     * over {@code holdSeconds} of trace time until the next change; {@code rate} is the creations per wall second
     * that reach every count in time, summed over every workload ramping at that moment.
     */
    public record Peak(long pods, double at, double holdSeconds, double rate) {}

    /** The assessment of a trace's demand at {@code speed}. */
    public static Preflight assess(PodDemand demand, double speed, Capacity capacity, double threshold) {
        var batches = FidelityModel.batches(demand);
        long[] totals = demand.totals();
        Peak peak = peak(demand, Double.isInfinite(speed) ? 1 : speed);
        if (Double.isInfinite(speed) || totals[0] == 0) {
            return new Preflight(speed, totals[0], totals[1], peak, capacity, 1, threshold, 0, Optional.empty());
        }
        double target = Math.min(1, threshold + MARGIN);
        double predicted = FidelityModel.podSeconds(batches, speed, capacity.creates(), capacity.deletes());
        // The creation rate that would be enough at this speed (deletions scaled alike).
        double ratio = capacity.deletes() / capacity.creates();
        double needed = search(c -> FidelityModel.podSeconds(batches, speed, c, c * ratio) >= target, 0.01, 1e7, true);
        Optional<Double> fastest = Optional.empty();
        if (FidelityModel.podSeconds(batches, SLOWEST, capacity.creates(), capacity.deletes()) >= target) {
            double s = search(v -> FidelityModel.podSeconds(batches, v, capacity.creates(), capacity.deletes()) >= target,
                    SLOWEST, FASTEST, false);
            fastest = Optional.of(roundDown(s));
        }
        return new Preflight(speed, totals[0], totals[1], peak, capacity, predicted, threshold, needed, fastest);
    }

    /** Whether the replay is predicted to stay faithful (with the margin); {@code --speed max} is never judged. */
    public boolean faithful() {
        return Double.isInfinite(speed) || creations == 0 || predicted >= Math.min(1, threshold + MARGIN);
    }

    /**
     * Bisection on a log scale for the boundary of a monotone predicate: the smallest value that satisfies it
     * ({@code lowest}) or the largest ({@code !lowest}).
     */
    private static double search(java.util.function.DoublePredicate ok, double lo, double hi, boolean lowest) {
        if (lowest && !ok.test(hi)) {
            return hi;
        }
        for (int i = 0; i < 60; i++) {
            double mid = Math.sqrt(lo * hi);
            if (ok.test(mid) == lowest) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return lowest ? hi : lo;
    }

    /** Two significant digits, rounded down, so the suggested speed is on the safe side: 1.37 → 1.3, 27.9 → 27. */
    static double roundDown(double v) {
        if (v >= FASTEST) {
            return FASTEST;
        }
        int exponent = (int) Math.floor(Math.log10(v)) - 1;
        double digits = Math.floor(v / Math.pow(10, exponent) + 1e-9);
        return java.math.BigDecimal.valueOf((long) digits).scaleByPowerOfTen(exponent).doubleValue();
    }

    /** The moment the trace asks for pods fastest, at {@code speed}. */
    static Peak peak(PodDemand demand, double speed) {
        // Each increase ramps from its change to the workload's next change: count / hold is its rate.
        record Ramp(double from, double to, long pods, double rate) {}
        List<Ramp> ramps = new ArrayList<>();
        double window = demand.end() - demand.start();
        for (Map.Entry<String, List<Desired.Change>> e : demand.changes().entrySet()) {
            List<Desired.Change> changes = e.getValue();
            int previous = 0;
            for (int i = 0; i < changes.size(); i++) {
                Desired.Change c = changes.get(i);
                double from = Math.max(0, c.ts() - demand.start());
                double to = i + 1 < changes.size() ? Math.max(0, changes.get(i + 1).ts() - demand.start()) : window;
                to = Math.min(to, window);
                if (c.replicas() > previous && to > from) {
                    // At least one wall second: a count asked for the instant before the next change has no rate.
                    double hold = Math.max(to - from, speed);
                    ramps.add(new Ramp(from, from + hold, c.replicas() - previous, (c.replicas() - previous) * speed / hold));
                }
                previous = c.replicas();
            }
        }
        // A sweep over the ramps' starts and ends: the summed rate only rises where a ramp starts.
        ramps.sort(java.util.Comparator.comparingDouble(Ramp::from));
        java.util.PriorityQueue<Ramp> running = new java.util.PriorityQueue<>(java.util.Comparator.comparingDouble(Ramp::to));
        Peak best = new Peak(0, 0, 0, 0);
        double rate = 0;
        for (int i = 0; i < ramps.size(); ) {
            double at = ramps.get(i).from();
            while (!running.isEmpty() && running.peek().to() <= at) {
                rate -= running.poll().rate();
            }
            long pods = 0;
            double hold = Double.POSITIVE_INFINITY;
            for (; i < ramps.size() && ramps.get(i).from() == at; i++) {
                Ramp r = ramps.get(i);
                running.add(r);
                rate += r.rate();
                pods += r.pods();
                hold = Math.min(hold, r.to() - r.from());
            }
            if (rate > best.rate() + 1e-9) {
                best = new Peak(pods, at, hold, rate);
            }
        }
        return best;
    }

    /** The lines a person reads: the demand, the capacity, the prediction and, when it is not faithful, what to do. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(demandLine());
        if (creations == 0 || Double.isInfinite(speed)) {
            return out;
        }
        out.add(String.format(Locale.ROOT, "this machine sustains about %s pod creations/s and %s deletions/s (%s)", rate(capacity.creates()),
                rate(capacity.deletes()), capacity.source()));
        out.add(String.format(Locale.ROOT, "predicted fidelity %.0f%% of the requested pod-seconds (the verdict needs %.0f%%)%s",
                Math.floor(predicted * 100), threshold * 100,
                faithful() ? "" : String.format(Locale.ROOT, "; a faithful replay at this speed needs about %s creations/s", rate(needed))));
        if (!faithful()) {
            out.add(suggestion());
        }
        return out;
    }

    /** The demand alone, for a cluster whose capacity skci does not know. */
    public static String demandLine(PodDemand demand, double speed) {
        long[] totals = demand.totals();
        return line(speed, totals[0], totals[1], peak(demand, Double.isInfinite(speed) ? 1 : speed));
    }

    private String demandLine() {
        return line(speed, creations, deletions, peak);
    }

    private static String line(double speed, long creations, long deletions, Peak peak) {
        if (creations == 0) {
            return "no workload in the trace asks for replicas over time; nothing to predict";
        }
        if (Double.isInfinite(speed)) {
            return String.format(Locale.ROOT, "%,d pod creations and %,d deletions; --speed max keeps no trace time, so fidelity is not "
                    + "judged", creations, deletions);
        }
        return String.format(Locale.ROOT, "peak %s pod creations/s at speed %s: %,d pods asked for at trace second %.0f, to exist within "
                        + "%.0f s of trace time (%s of wall time); %,d creations and %,d deletions in all",
                rate(peak.rate()), speed(speed), peak.pods(), peak.at(), peak.holdSeconds(), wall(peak.holdSeconds() / speed), creations,
                deletions);
    }

    /** The concrete way out, e.g. "use --speed 1.5 or lower, or fewer replicas". */
    public String suggestion() {
        return fastest.map(s -> "use --speed " + speed(s) + " or lower, or fewer replicas; expect exit 5 (inconclusive) otherwise")
                .orElse("one step asks for more pods than this cluster creates in time at any speed: use fewer replicas, or a bigger "
                        + "machine; expect exit 5 (inconclusive) otherwise");
    }

    /** One line for a warning: the peak, the capacity and the suggestion. */
    public String warning() {
        return String.format(Locale.ROOT, "peak %s pod creations/s at speed %s; this machine sustains about %s/s (predicted fidelity %.0f%%, "
                + "the verdict needs %.0f%%); %s", rate(peak.rate()), speed(speed), rate(capacity.creates()), Math.floor(predicted * 100),
                threshold * 100, suggestion());
    }

    /** A speed as a person writes it: 10, 1.5, max. */
    public static String speedText(double s) {
        return Double.isInfinite(s) ? "max" : speed(s);
    }

    static String speed(double s) {
        if (s == Math.rint(s)) {
            return String.format(Locale.ROOT, "%.0f", s);
        }
        return String.format(Locale.ROOT, "%s", new java.math.BigDecimal(s).round(new java.math.MathContext(2)).stripTrailingZeros()
                .toPlainString());
    }

    private static String rate(double r) {
        return r >= 100 ? String.format(Locale.ROOT, "%,.0f", r) : String.format(Locale.ROOT, "%.1f", r);
    }

    private static String wall(double seconds) {
        return seconds >= 1 ? String.format(Locale.ROOT, "%.1f s", seconds) : String.format(Locale.ROOT, "%.0f ms", seconds * 1000);
    }
}
