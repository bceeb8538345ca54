package dev.skci.cli;

import dev.skci.ExitCode;

import dev.skci.SkciException;
import dev.skci.trace.codec.TraceFile;
import dev.skci.trace.json.TraceJsonWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skci trace export}: a trace as lossless JSON. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a trace as lossless JSON.",
            "%nWrites to standard output or a file, in the shape documented in docs/trace-json.md. Nothing is "
                + "lost: key order, integers vs floats and 64-bit hashes are kept, so 'skci trace import' rebuilds "
                + "the same bytes. Older (pre-version-2) traces are exported upgraded to version 2."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  skci trace export traces/cronjob.sktrace | jq '.events | length'",
            "  skci trace export traces/cronjob.sktrace -o cronjob.json"
        })
final class TraceExportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TRACE", description = "The trace file (.sktrace).")
    Path trace;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output.")
    Path output;

    @Option(names = "--compact", description = "One line, no indentation.")
    boolean compact;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        TraceFile file = TraceFile.open(trace);
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            TraceJsonWriter.write(file, out, !compact);
            out.flush();
            return ExitCode.PASSED.code();
        }
        Path dir = output.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + output.getFileName(), ".tmp");
            try (Writer w = new BufferedWriter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8), 1 << 16)) {
                TraceJsonWriter.write(file, w, !compact);
            }
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw SkciException.invalidInput(output + ": cannot write: " + e.getMessage());
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
        return ExitCode.PASSED.code();
    }
}
