package dev.skci.cli;

import dev.skci.report.MergedReports;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skci merge-reports}: the shards of a run ({@code skci run --shard I/N}) as one run's reports. */
@Command(
        name = "merge-reports",
        mixinStandardHelpOptions = true,
        description = {
            "Combines the report directories of the shards of one run (skci run --shard I/N on N runners) into one:",
            "summary.json (same schema: it works as a --baseline), junit.xml, timeline.json and report.html. Exits with the",
            "merged run's exit code: the most serious of the shards', and 3 when a shard of the split left no reports.",
            "Needs no cluster."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  skci merge-reports -o skci-reports shards/skci-reports-*",
            "  skci merge-reports -o merged shard-1/summary.json shard-2/summary.json",
            "",
            "Exit codes: the merged run's (0 passed, 1 failed, 2 invalid input, 3 environment or a missing shard,",
            "4 deadline, 5 inconclusive); 2 also when the inputs are not the shards of one run."
        })
final class MergeReportsCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "The shards' report directories (or their summary.json files).")
    List<Path> inputs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, defaultValue = "skci-reports", paramLabel = "DIR",
            description = "Where the merged reports go. Default: ${DEFAULT-VALUE}.")
    Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        MergedReports.Result r = MergedReports.merge(inputs, output, System.getenv(), System.out);
        PrintWriter out = spec.commandLine().getOut();
        r.lines().forEach(out::println);
        out.flush();
        return r.exitCode();
    }
}
