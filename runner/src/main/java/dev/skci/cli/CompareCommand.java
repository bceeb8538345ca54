package dev.skci.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.ExitCode;
import dev.skci.observe.Metrics;
import dev.skci.report.Comparison;
import dev.skci.report.SummaryJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skci compare}: the baseline comparison table of two runs' summary.json files, without a cluster. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Prints, for every trace both runs simulated, the comparison table the reports show: each metric a change",
            "usually moves, the baseline's value, the new one and the change. Needs no cluster."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  skci compare main/summary.json skci-reports/summary.json",
            "  skci compare base.json new.json --markdown >> \"$GITHUB_STEP_SUMMARY\""
        })
final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BASE", description = "summary.json of the baseline run.")
    Path base;

    @Parameters(index = "1", paramLabel = "NEW", description = "summary.json of the run to compare.")
    Path now;

    @Option(names = "--markdown", description = "GitHub-flavoured Markdown tables.")
    boolean markdown;

    @Option(names = "--json", description = "One JSON document, for scripts.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, SummaryJson.Baseline> b = SummaryJson.baselines(base);
        Map<String, SummaryJson.Baseline> n = SummaryJson.baselines(now);
        PrintWriter out = spec.commandLine().getOut();
        ObjectNode doc = Json.object();
        ArrayNode traces = doc.putArray("traces");
        int compared = 0;
        for (Map.Entry<String, SummaryJson.Baseline> e : n.entrySet()) {
            SummaryJson.Baseline old = b.get(e.getKey());
            if (old == null) {
                continue;
            }
            compared++;
            List<Comparison.Row> rows = Comparison.rows(List.<Metrics>of(old.metrics()), List.of(e.getValue().metrics()));
            if (json) {
                ObjectNode t = traces.addObject().put("trace", e.getKey());
                ArrayNode r = t.putArray("rows");
                rows.forEach(row -> r.addObject().put("metric", row.metric()).put("baseline", row.baseline()).put("now", row.now())
                        .put("change", row.change()).put("assessment", row.assessment()));
            } else if (markdown) {
                out.println("#### `" + e.getKey() + "`\n");
                out.println(Comparison.markdown(rows));
            } else {
                out.println("== " + e.getKey());
                out.print(Comparison.text(rows));
                out.println();
            }
        }
        if (json) {
            Json.print(out, doc);
        }
        out.flush();
        if (compared == 0) {
            throw dev.skci.SkciException.invalidInput("no trace appears in both " + base + " and " + now + "; nothing to compare");
        }
        return ExitCode.PASSED.code();
    }
}
