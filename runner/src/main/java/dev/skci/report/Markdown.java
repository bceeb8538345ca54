package dev.skci.report;

import dev.skci.observe.Metrics;
import dev.skci.verdict.Check;
import dev.skci.result.SimulationResult;
import java.util.List;
import java.util.Locale;

/**
 * The GitHub job summary (GitHub-flavoured Markdown): per trace the outcome, every check, fidelity, the
 * scheduler's reasons and the baseline comparison; the traces that got no verdict on exit 2 and 3. No
 * chart: GitHub documents no chart format rendered in job summaries, and report.html has them.
 */
final class Markdown {
    private Markdown() {}

    static String summary(List<SimulationResult> results, List<CiReports.TraceError> errors, int exitCode) {
        return summary(results, errors, exitCode, java.util.Optional.empty());
    }

    static String summary(List<SimulationResult> results, List<CiReports.TraceError> errors, int exitCode,
            java.util.Optional<dev.skci.config.Shard> shard) {
        StringBuilder b = new StringBuilder("### skci" + shard.map(s -> " (shard " + s + ")").orElse("") + ": "
                + SummaryJson.result(exitCode) + " (exit code " + exitCode + ")\n\n");
        if (shard.isPresent() && results.isEmpty() && errors.isEmpty()) {
            b.append("This shard got no simulations (more shards than traces).\n\n");
        }
        if (!errors.isEmpty()) {
            b.append("| trace | no verdict, because |\n|---|---|\n");
            for (CiReports.TraceError e : errors) {
                b.append("| `").append(cell(e.trace())).append("` | ").append(cell(e.message())).append(" |\n");
            }
            b.append('\n');
        }
        for (Runs runs : Runs.of(results)) {
            SimulationResult last = runs.last();
            Metrics m = last.metrics();
            b.append("#### `").append(cell(runs.trace())).append("`: ").append(Runs.word(runs.outcome())).append("\n\n");
            b.append(String.format(Locale.ROOT, "%d run(s); last run `%s`, %.1f s; %d pods created, %d scheduled, %d unschedulable",
                    runs.candidates().size(), last.runName(), last.harness().wall().toMillis() / 1000.0, (long) m.pods().created(),
                    (long) m.pods().scheduled(), (long) m.pods().unschedulable()));
            if (m.fidelity().applicable()) {
                b.append(String.format(Locale.ROOT, "; fidelity %.0f%% of requested pod-seconds", 100 * m.fidelity().podSeconds()));
            }
            b.append("\n\n| check | result | details |\n|---|---|---|\n");
            for (Runs.CheckRuns c : runs.checks()) {
                Check k = c.last();
                String result = switch (k.status()) {
                    case PASSED -> c.broken() > 0 ? "⚠️ flaky" : "✅";
                    case OFF -> "⏸ off";
                    case FAILED, ERROR -> k.counts() ? "❌" : "⚠️ warn";
                };
                String details = k.message() + (c.flake().isEmpty() ? "" : " (" + c.flake() + ")");
                b.append("| `").append(k.name()).append("` | ").append(result).append(" | ").append(cell(details)).append(" |\n");
            }
            if (!m.pods().reasons().isEmpty()) {
                b.append("\nWhy pods were not scheduled:\n\n| pods | scheduler |\n|---:|---|\n");
                m.pods().reasons().forEach(r -> b.append("| ").append((long) r.pods()).append(" | ").append(cell(r.message())).append(" |\n"));
            }
            if (!last.changes().setup().isEmpty()) {
                b.append("\nSetup: ").append(cell(String.join(", ", last.changes().setup()))).append('\n');
            }
            if (!last.changes().overrides().isEmpty()) {
                b.append("\n| override | patched |\n|---|---|\n");
                last.changes().overrides().forEach(u -> b.append("| `").append(cell(u.override())).append("` | ")
                        .append(cell(RunSummary.patched(u))).append(" |\n"));
            }
            List<Comparison.Row> rows = runs.comparison();
            if (!rows.isEmpty()) {
                b.append("\nAgainst the baseline:\n\n").append(Comparison.markdown(rows));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", "<br>");
    }
}
