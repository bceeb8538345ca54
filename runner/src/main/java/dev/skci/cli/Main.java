package dev.skci.cli;

/** Entry point of the {@code skci} command; everything else lives in {@link SkciCommand}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(SkciCommand.execute(args));
    }
}
