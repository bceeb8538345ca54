package dev.skci.cli;

import dev.skci.ExitCode;

import dev.skci.trace.codec.TraceFile;
import dev.skci.trace.inspect.Inspector;
import dev.skci.trace.inspect.SummaryText;
import dev.skci.trace.inspect.TraceSummary;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skci inspect}: what is in a trace, at a glance. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Summarises a trace, with a chart of activity over time.",
            "%nShows the format, time span, events, objects applied and deleted by kind, namespaces, index "
                + "entries by kind and the pod lifecycles of each owner. Events are streamed, so large traces "
                + "work too."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  skci inspect traces/cronjob.sktrace",
            "  skci inspect --ascii --width 60 big.sktrace",
            "  skci inspect --json my.sktrace | jq '.appliedByKind'"
        })
final class InspectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TRACE", description = "The trace file (.sktrace).")
    Path trace;

    @Option(names = "--json", description = "Print the same data as one JSON document, for scripts.")
    boolean json;

    @Option(names = "--ascii", description = "Draw the chart with ASCII only (the default when the output is not UTF-8).")
    boolean ascii;

    @Option(names = "--width", defaultValue = "48", paramLabel = "N",
            description = "Time buckets (chart columns), 10..200. Default: ${DEFAULT-VALUE}.")
    int width;

    @Option(names = "--all", description = "List every lifecycle owner and entry (the text output cuts long lists).")
    boolean all;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (width < 10 || width > 200) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--width must be between 10 and 200, got " + width);
        }
        TraceSummary s = Inspector.inspect(TraceFile.open(trace), width);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, s);
        } else {
            SummaryText.render(s, !ascii && utf8Output(), all).forEach(out::println);
            out.flush();
        }
        return ExitCode.PASSED.code();
    }

    /** Whether standard output is encoded as UTF-8 (the way picocli chooses its encoding). */
    static boolean utf8Output() {
        String enc = System.getProperty("sun.stdout.encoding");
        if (enc == null) {
            enc = System.getProperty("stdout.encoding");
        }
        try {
            return (enc == null ? Charset.defaultCharset() : Charset.forName(enc)).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

}
