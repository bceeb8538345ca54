package dev.skci.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code skci trace}: converting traces to and from a lossless JSON (or YAML) form. */
@Command(
        name = "trace",
        mixinStandardHelpOptions = true,
        description = {
            "Converts traces to and from JSON or YAML.",
            "%nThe JSON shape is documented in docs/trace-json.md; export then import gives back the same bytes."
        },
        subcommands = {TraceExportCommand.class, TraceImportCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  skci trace export traces/cronjob.sktrace -o cronjob.json",
            "  skci trace import traces/cronjob.yaml -o traces/cronjob.sktrace"
        })
final class TraceCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: export or import");
    }
}
