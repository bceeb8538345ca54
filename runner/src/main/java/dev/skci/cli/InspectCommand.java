package dev.skci.cli;

import dev.skci.ExitCode;

import dev.skci.cluster.ProviderOptions;
import dev.skci.cluster.Providers;
import dev.skci.preflight.Preflight;
import dev.skci.replay.ReplayPlan;
import dev.skci.trace.codec.TraceFile;
import dev.skci.trace.inspect.Inspector;
import dev.skci.trace.inspect.SummaryText;
import dev.skci.trace.inspect.TraceSummary;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
            "  skci inspect --json my.sktrace | jq '.appliedByKind'",
            "  skci inspect --speed 10 my.sktrace      # can this machine replay it faithfully at speed 10?"
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

    @Option(names = "--speed", converter = SpeedConverter.class, paramLabel = "X",
            description = "Also show the preflight of 'skci run --speed X': the peak rate of pod creations the trace asks "
                    + "for at that speed, what this machine sustains (skci cluster calibrate, or the documented figure) and "
                    + "the predicted fidelity, with the highest faithful speed when X is too fast.")
    Double speed;

    @Option(names = "--min-pod-seconds", defaultValue = "0.8", paramLabel = "F",
            description = "With --speed: the fidelity threshold to predict against (fidelity.minPodSeconds). Default: ${DEFAULT-VALUE}.")
    double minPodSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (width < 10 || width > 200) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--width must be between 10 and 200, got " + width);
        }
        if (minPodSeconds < 0 || minPodSeconds > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--min-pod-seconds must be between 0 and 1, got " + minPodSeconds);
        }
        TraceFile file = TraceFile.open(trace);
        TraceSummary s = Inspector.inspect(file, width);
        PrintWriter out = spec.commandLine().getOut();
        Optional<Preflight> preflight = Optional.empty();
        List<String> preflightLines = List.of();
        if (speed != null && file.eventCount() > 0) {
            ReplayPlan plan = ReplayPlan.scan(file, Optional.empty());
            var capacity = Preflights.capacity(Providers.create(Providers.DEFAULT, ProviderOptions.defaults(line -> { })));
            preflight = Preflights.assess(file, plan, speed, capacity, minPodSeconds);
            preflightLines = Preflights.lines(file, plan, speed, capacity, minPodSeconds);
        }
        if (json) {
            Json.print(out, preflight.isEmpty() ? s : new WithPreflight(s, PreflightJson.of(preflight.get())));
        } else {
            SummaryText.render(s, !ascii && utf8Output(), all).forEach(out::println);
            if (!preflightLines.isEmpty()) {
                out.println();
                out.println("preflight (skci run --speed " + Preflight.speedText(speed) + "):");
                preflightLines.forEach(l -> out.println("  " + l));
            }
            out.flush();
        }
        return ExitCode.PASSED.code();
    }

    /** The inspection and the preflight as one JSON document: the summary's fields, plus {@code preflight}. */
    record WithPreflight(@com.fasterxml.jackson.annotation.JsonUnwrapped TraceSummary summary, PreflightJson preflight) {}

    /** The preflight's figures for scripts; rates per second of wall time, fidelity as 0..1. */
    record PreflightJson(String speed, long creations, long deletions, Preflight.Peak peak, double capacityCreates,
            double capacityRunning, double capacityDeletes, String capacitySource, String capacityMeasuredAt, double predictedPodSeconds,
            double threshold, double neededCreates, Double fastestFaithfulSpeed, boolean faithful, List<String> lines) {
        static PreflightJson of(Preflight p) {
            return new PreflightJson(Preflight.speedText(p.speed()), p.creations(), p.deletions(), p.peak(), p.capacity().creates(),
                    p.capacity().running(), p.capacity().deletes(), p.capacity().source(),
                    p.capacity().measuredAt().map(Object::toString).orElse(null), p.predicted(), p.threshold(), p.needed(),
                    p.fastest().orElse(null), p.faithful(), p.lines());
        }
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
