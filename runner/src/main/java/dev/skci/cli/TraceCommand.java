package dev.skci.cli;

import picocli.CommandLine.Command;

/** Placeholder: implemented in its own change. */
@Command(name = "trace", description = "(not implemented yet)")
final class TraceCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw dev.skci.SkciException.invalidInput("'skci trace' is not implemented yet");
    }
}
