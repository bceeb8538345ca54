package dev.skci.cli;

import picocli.CommandLine.Command;

/** Placeholder: implemented in its own change. */
@Command(name = "inspect", description = "(not implemented yet)")
final class InspectCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw dev.skci.SkciException.invalidInput("'skci inspect' is not implemented yet");
    }
}
