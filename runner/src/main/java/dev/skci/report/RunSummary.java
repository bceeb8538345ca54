package dev.skci.report;

import dev.skci.result.SimulationResult;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The console summary of each simulation and the table of all of them. */
public final class RunSummary {
    private RunSummary() {}

    public static void print(PrintStream out, SimulationResult r) {
        out.printf(Locale.ROOT, "%n== %s (run %s): %s%n", r.trace(), r.runName(), r.verdict().passed() ? "PASSED" : "FAILED");
        out.println("  applied:    " + counts(r.replay().stats().appliedByKind()));
        out.println("  deleted:    " + counts(r.replay().stats().deletedByKind()));
        if (!r.replay().stats().skippedByKind().isEmpty()) {
            out.println("  skipped:    " + counts(r.replay().stats().skippedByKind()));
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
        for (String reason : r.verdict().reasons()) {
            out.println("  FAIL: " + reason);
        }
    }

    public static void table(PrintStream out, List<SimulationResult> results) {
        int w = Math.max(5, results.stream().mapToInt(r -> r.trace().length()).max().orElse(5));
        out.printf(Locale.ROOT, "%n%-" + w + "s  %-6s  %8s  %6s  %s%n", "TRACE", "RESULT", "WALL", "PODS", "REASON");
        for (SimulationResult r : results) {
            int pods = r.pods().total();
            out.printf(Locale.ROOT, "%-" + w + "s  %-6s  %7.1fs  %6d  %s%n", r.trace(), r.verdict().passed() ? "passed" : "failed",
                    r.harness().wall().toMillis() / 1000.0, pods, r.verdict().reasons().isEmpty() ? "" : r.verdict().reasons().get(0));
        }
    }

    private static String counts(Map<String, Integer> m) {
        return m.isEmpty() ? "-" : m.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }
}
