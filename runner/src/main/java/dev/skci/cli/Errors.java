package dev.skci.cli;

import dev.skci.Failures;
import java.io.PrintWriter;

/** How a failure reaches the user: one line, "skci: ...", and the stack trace only with --debug. */
final class Errors {
    private Errors() {}

    /** Prints {@code failure} and returns its exit code. */
    static int report(PrintWriter err, Failures.Outcome failure) {
        if (failure.code() == dev.skci.ExitCode.INTERRUPTED || failure.code() == dev.skci.ExitCode.TERMINATED) {
            return failure.code().code(); // the signal handler already said so
        }
        err.println("skci: " + failure.message() + (failure.bug() && !SkciCommand.debug()
                ? " (this is a bug in skci, not a failure of the change; rerun with --debug for the stack trace)" : ""));
        if (SkciCommand.debug() && failure.cause() != null) {
            failure.cause().printStackTrace(err);
        }
        err.flush();
        return failure.code().code();
    }
}
