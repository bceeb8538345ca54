package dev.skci.report;

import dev.skci.observe.Metrics;
import dev.skci.result.SimulationResult;
import dev.skci.verdict.Check;
import dev.skci.verdict.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of one trace: its runs of the change (several with {@code --repeat}) and of the baseline.
 * What the human-readable reports show per trace: the worst outcome, each check's flake rate, and the
 * comparison with the baseline.
 */
record Runs(String trace, List<SimulationResult> candidates, List<SimulationResult> baselines) {

    static List<Runs> of(List<SimulationResult> results) {
        Map<String, List<SimulationResult>> c = new LinkedHashMap<>();
        Map<String, List<SimulationResult>> b = new LinkedHashMap<>();
        for (SimulationResult r : results) {
            (r.attempt().role() == SimulationResult.Role.BASELINE ? b : c).computeIfAbsent(r.trace(), k -> new ArrayList<>()).add(r);
            c.computeIfAbsent(r.trace(), k -> new ArrayList<>());
        }
        List<Runs> out = new ArrayList<>();
        c.forEach((t, runs) -> out.add(new Runs(t, runs, b.getOrDefault(t, List.of()))));
        return out;
    }

    /** FAILED if any run failed, else INCONCLUSIVE if any was, else PASSED. */
    Verdict.Outcome outcome() {
        if (candidates.stream().anyMatch(r -> r.outcome() == Verdict.Outcome.FAILED)) {
            return Verdict.Outcome.FAILED;
        }
        return candidates.stream().anyMatch(r -> r.outcome() == Verdict.Outcome.INCONCLUSIVE) ? Verdict.Outcome.INCONCLUSIVE
                : Verdict.Outcome.PASSED;
    }

    /** The last run of the change: the one whose metrics the reports show. */
    SimulationResult last() {
        return candidates.getLast();
    }

    /** One check over every run of the change: how often it broke. */
    record CheckRuns(Check last, int broken, int runs) {
        String flake() {
            return runs > 1 && broken > 0 && broken < runs ? "flaky: broke in " + broken + " of " + runs + " runs" : "";
        }
    }

    List<CheckRuns> checks() {
        Map<String, CheckRuns> out = new LinkedHashMap<>();
        for (SimulationResult r : candidates) {
            for (Check c : r.verdict().checks()) {
                CheckRuns prev = out.get(c.name());
                int broken = (prev == null ? 0 : prev.broken()) + (c.broken() ? 1 : 0);
                // Show the run in which it broke, if it ever did.
                Check shown = prev != null && prev.last().broken() && !c.broken() ? prev.last() : c;
                out.put(c.name(), new CheckRuns(shown, broken, (prev == null ? 0 : prev.runs()) + 1));
            }
        }
        return List.copyOf(out.values());
    }

    /** Baseline against now: paired baseline runs if there were, else the baseline from --baseline. */
    List<Comparison.Row> comparison() {
        List<Metrics> base = baselines.stream().map(SimulationResult::metrics).toList();
        if (base.isEmpty()) {
            base = candidates.stream().flatMap(r -> r.baseline().stream()).limit(1).toList();
        }
        return Comparison.rows(base, candidates.stream().map(SimulationResult::metrics).toList());
    }

    static String word(Verdict.Outcome o) {
        return switch (o) {
            case PASSED -> "✅ passed";
            case FAILED -> "❌ failed";
            case INCONCLUSIVE -> "⚠️ inconclusive";
        };
    }
}
