package dev.skci.cli;

import picocli.CommandLine.Command;

/** Placeholder: implemented in its own change. */
@Command(name = "run", description = "(not implemented yet)")
final class RunCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw dev.skci.SkciException.invalidInput("'skci run' is not implemented yet");
    }
}
