package dev.skci.cli;

import dev.skci.ExitCode;

import dev.skci.trace.Trace;
import dev.skci.trace.codec.TraceWriter;
import dev.skci.trace.json.TraceJsonImporter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skci trace import}: a version-2 trace from JSON or YAML. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a version-2 trace from JSON or YAML.",
            "%nWhat an export wrote comes back byte for byte. For hand-written sources skci fills in what is "
                + "left out: version, config (the built-in kinds applied), index (spec hashes of the last applied "
                + "versions), lifecycle hashes and empty object lists; times may be RFC 3339 strings "
                + "(docs/trace-json.md). The same source always gives the same bytes. Files ending in .json are "
                + "read as JSON, everything else as YAML."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  skci trace import traces/cronjob.yaml -o traces/cronjob.sktrace",
            "  skci trace export a.sktrace -o a.json && skci trace import a.json -o a-again.sktrace"
        })
final class TraceImportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SOURCE", description = "The JSON (.json) or YAML (.yaml, .yml) source.")
    Path source;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "TRACE", description = "The trace file to write.")
    Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Trace trace = TraceJsonImporter.read(source);
        TraceWriter.write(trace, output);
        return ExitCode.PASSED.code();
    }
}
