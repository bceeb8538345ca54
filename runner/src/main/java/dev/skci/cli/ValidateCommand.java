package dev.skci.cli;

import picocli.CommandLine.Command;

/** Placeholder: implemented in its own change. */
@Command(name = "validate", description = "(not implemented yet)")
final class ValidateCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw dev.skci.SkciException.invalidInput("'skci validate' is not implemented yet");
    }
}
