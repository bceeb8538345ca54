package dev.skci;

import dev.skci.cli.SkciCommand;

/** Entry point of the {@code skci} command; everything else lives in {@link SkciCommand}. */
public final class Skci {
    private Skci() {}

    public static void main(String[] args) {
        System.exit(SkciCommand.execute(args));
    }
}
