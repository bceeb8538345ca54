package dev.skci.cli;

import picocli.CommandLine.Command;

/** Placeholder: implemented in its own change. */
@Command(name = "cluster", description = "(not implemented yet)")
final class ClusterCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw dev.skci.SkciException.invalidInput("'skci cluster' is not implemented yet");
    }
}
