package dev.skci.cluster.kind;

import dev.skci.SkciException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code kind} or {@code docker}: an argument list (never a shell string), bounded by a
 * timeout, its output kept in temporary files (no pipe can fill up and stall it). An interrupt (SIGTERM,
 * the run's deadline) ends the process and the wait alike.
 */
record Command(List<String> argv, Duration timeout) {
    /** How it ended. {@code output} is stdout; {@code errors} is stderr (kind's progress and errors go there). */
    record Result(List<String> argv, int exit, String output, String errors) {
        boolean ok() {
            return exit == 0;
        }

        /** The last non-blank line of stderr, else of stdout: what to show when it failed. */
        String lastLine() {
            for (String text : List.of(errors, output)) {
                List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
                if (!lines.isEmpty()) {
                    return lines.getLast();
                }
            }
            return "no output";
        }

        /** The command line for messages: the program's name and its arguments. */
        String shown() {
            return Path.of(argv.getFirst()).getFileName() + " " + String.join(" ", argv.subList(1, argv.size()));
        }
    }

    Command {
        argv = List.copyOf(argv);
    }

    static Command of(Duration timeout, String... argv) {
        return new Command(List.of(argv), timeout);
    }

    /**
     * Runs it. A program that cannot be started is an environment error naming it; a timeout ends it
     * (exit -1 in the result) rather than throwing, so callers say what they were doing.
     */
    Result run() {
        Path out = null;
        Path err = null;
        Process p = null;
        try {
            out = Files.createTempFile("skci-kind-", ".out");
            err = Files.createTempFile("skci-kind-", ".err");
            p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                stop(p);
            }
            return new Result(argv, done ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8)
                            + (done ? "" : "\n(stopped after " + timeout.toSeconds() + " s)"));
        } catch (IOException e) {
            if (p == null) {
                throw SkciException.environment("cannot run " + argv.getFirst() + ": " + e.getMessage(), e);
            }
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            stop(p);
            throw SkciException.interrupted("running " + Path.of(argv.getFirst()).getFileName(), e);
        } finally {
            delete(out);
            delete(err);
        }
    }

    /** Runs it and returns stdout; a failure is an environment error: {@code doing}, then the command's last line. */
    String output(String doing) {
        Result r = run();
        if (!r.ok()) {
            throw SkciException.environment(doing + " failed (" + r.shown() + ": " + r.lastLine() + ")");
        }
        return r.output();
    }

    private static void stop(Process p) {
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void delete(Path f) {
        if (f != null) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // a temporary file; the OS cleans /tmp
            }
        }
    }
}
