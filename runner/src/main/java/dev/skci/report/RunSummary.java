package dev.skci.report;

import dev.skci.result.SimulationResult;
import dev.skci.verdict.Check;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The console summary of each simulation and the table of all of them. */
public final class RunSummary {
    private RunSummary() {}

    public static void print(PrintStream out, SimulationResult r) {
        out.printf(Locale.ROOT, "%n== %s (run %s%s): %s%n", r.trace(), r.runName(), attempt(r), r.outcome());
        out.println("  applied:    " + counts(r.replay().stats().appliedByKind()));
        out.println("  deleted:    " + counts(r.replay().stats().deletedByKind()));
        if (!r.replay().stats().skippedByKind().isEmpty()) {
            out.println("  skipped:    " + counts(r.replay().stats().skippedByKind()));
        }
        if (!r.changes().setup().isEmpty()) {
            out.println("  setup:      " + r.changes().setup().size() + " object(s): " + String.join(", ", r.changes().setup()));
        }
        for (var u : r.changes().overrides()) {
            out.println("  override:   " + u.override() + " patched " + patched(u));
        }
        if (r.replay().stats().jobsCreated() > 0) {
            out.println("  cron jobs:  " + r.replay().stats().jobsCreated() + " Job(s) created in trace time");
        }
        long deleted = r.pods().records().stream().filter(p -> p.deleted() != null).count();
        out.println("  pods:       " + counts(r.pods().byPhase()) + " (last phase reached)"
                + (deleted > 0 ? "; " + deleted + " deleted before the end" : ""));
        out.printf(Locale.ROOT, "  lifecycles: %d pod(s) mutated: %d with a recorded end, %d running until deleted, %d without a record%n",
                r.admission().mutated(), r.admission().completing(), r.admission().runningUntilDeleted(),
                r.admission().withoutRecord());
        out.printf(Locale.ROOT, "  lateness:   p50 %.1f ms, p99 %.1f ms, worst %.1f ms over %d events%n",
                r.replay().lateness().quantileMillis(0.5), r.replay().lateness().quantileMillis(0.99), r.replay().lateness().maxMillis(),
                r.replay().lateness().count());
        out.printf(Locale.ROOT, "  wall time:  %.1f s (cleanup %.1f s)%n", r.harness().wall().toMillis() / 1000.0,
                r.harness().cleanup().took().toMillis() / 1000.0);
        var m = r.metrics();
        out.printf(Locale.ROOT, "  scheduling: %d of %d pod(s) scheduled, %d unschedulable; latency p50 %s, p99 %s (wall)%n",
                (long) m.pods().scheduled(), (long) m.pods().created(), (long) m.pods().unschedulable(),
                seconds(m.pods().schedulingLatency().wall().p50()), seconds(m.pods().schedulingLatency().wall().p99()));
        out.printf(Locale.ROOT, "  fidelity:   %s%n", m.fidelity().applicable()
                ? String.format(Locale.ROOT, "%.0f%% of the requested pod-seconds realised, %d of %d requested counts reached",
                        100 * m.fidelity().podSeconds(), (long) m.fidelity().countsReached(), (long) m.fidelity().countsRequested())
                : "not applicable (no workload with replicas over time, or --speed max)");
        long passed = r.verdict().checks().stream().filter(c -> c.status() == Check.Status.PASSED).count();
        out.printf(Locale.ROOT, "  checks:     %d of %d passed%n", passed, r.verdict().checks().size());
        for (Check c : r.verdict().checks()) {
            if (c.broken() || c.status() == Check.Status.OFF) {
                String tag = c.counts() ? (c.kind() == Check.Kind.FIDELITY ? "INCONCLUSIVE" : "FAIL") : c.broken() ? "WARN" : "OFF";
                out.println("  " + tag + " " + c.name() + ": " + c.message().replace("\n", "\n      "));
            }
        }
        if (r.baseline().isPresent()) {
            out.println("  against the baseline:");
            Comparison.text(Comparison.rows(List.of(r.baseline().get()), List.of(m))).lines().forEach(l -> out.println("    " + l));
        }
    }

    public static void table(PrintStream out, List<SimulationResult> results) {
        int w = Math.max(5, results.stream().mapToInt(r -> r.trace().length()).max().orElse(5));
        out.printf(Locale.ROOT, "%n%-" + w + "s  %-12s  %8s  %6s  %s%n", "TRACE", "RESULT", "WALL", "PODS", "REASON");
        for (SimulationResult r : results) {
            int pods = r.pods().total();
            out.printf(Locale.ROOT, "%-" + w + "s  %-12s  %7.1fs  %6d  %s%n", r.trace() + attempt(r),
                    r.outcome().name().toLowerCase(Locale.ROOT),
                    r.harness().wall().toMillis() / 1000.0, pods, r.verdict().reasons().isEmpty() ? "" : r.verdict().reasons().get(0));
        }
    }

    /** {@code Deployment shop/web (3 versions), ...}. */
    static String patched(dev.skci.override.Overrides.Use u) {
        return u.objects().isEmpty() ? "nothing" : new java.util.TreeMap<>(u.objects()).entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue() + (e.getValue() == 1 ? " version)" : " versions)"))
                .collect(Collectors.joining(", "));
    }

    private static String attempt(SimulationResult r) {
        String s = r.attempt().role() == SimulationResult.Role.BASELINE ? ", baseline" : "";
        return r.attempt().of() > 1 ? s + ", run " + r.attempt().repeat() + " of " + r.attempt().of() : s;
    }

    private static String seconds(java.time.Duration d) {
        return String.format(Locale.ROOT, "%.3fs", d.toNanos() / 1e9);
    }

    private static String counts(Map<String, Integer> m) {
        return m.isEmpty() ? "-" : m.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }
}
