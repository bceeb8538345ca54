package dev.skci.cli;

import dev.skci.ExitCode;
import dev.skci.Failures;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root {@code skci} command: global options, subcommands, and the mapping of failures to exit codes. */
@Command(
        name = "skci",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "skci replays SimKube traces (.sktrace) in a simulation cluster with fake (KWOK) nodes and a real",
            "control plane, judges each simulation, and exits with a code CI can act on."
        },
        subcommands = {
            ValidateCommand.class,
            InspectCommand.class,
            TraceCommand.class,
            ClusterCommand.class,
            RunCommand.class,
            CompareCommand.class,
            MergeReportsCommand.class,
            NodesCommand.class,
            InitCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            // The exit-code lines come first, from dev.skci.ExitCode (see execute).
            "",
            "Examples:",
            "  skci validate traces/",
            "  skci run traces/cronjob.sktrace --speed 10",
            "  skci cluster up --nodes 3"
        })
public final class SkciCommand implements Runnable {

    /** Set by {@code --debug} on any command: stack traces and debug logging. */
    static volatile boolean debug;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces and debug logs.")
    void setDebug(boolean value) {
        debug = value;
        if (value) {
            System.setProperty("org.slf4j.simpleLogger.log.dev.skci", "debug");
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static boolean debug() {
        return debug;
    }

    /** Runs skci with the given arguments and returns the process exit code. */
    public static int execute(String... args) {
        for (String a : args) {
            // slf4j-simple reads its level once, when the first logger is created.
            if (a.equals("--debug")) {
                debug = true;
                System.setProperty("org.slf4j.simpleLogger.log.dev.skci", "debug");
            }
        }
        CommandLine cl = new CommandLine(new SkciCommand());
        addExitCodes(cl.getCommandSpec().usageMessage());
        RunCommand.addGateHelp(cl.getSubcommands().get("run"));
        RunCommand.addExitCodeHelp(cl.getSubcommands().get("run"));
        cl.setParameterExceptionHandler(SkciCommand::onBadParameters);
        cl.setExecutionExceptionHandler(SkciCommand::onFailure);
        cl.setExitCodeExceptionMapper(t -> Failures.classify(t, ExitCode.DEADLINE).code().code());
        return cl.execute(args);
    }

    private static int onBadParameters(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("skci: " + e.getMessage() + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCode.INVALID_INPUT.code();
    }

    private static int onFailure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        return Errors.report(cl.getErr(), Failures.classify(e, ExitCode.DEADLINE));
    }

    /** The exit-code list of {@code --help}, from the one declaration, before the footer's examples. */
    private static void addExitCodes(CommandLine.Model.UsageMessageSpec usage) {
        List<String> footer = new ArrayList<>(ExitCode.helpLines());
        footer.addAll(List.of(usage.footer()));
        usage.footer(footer.toArray(String[]::new));
    }
}
