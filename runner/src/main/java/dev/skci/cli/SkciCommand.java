package dev.skci.cli;

import dev.skci.ExitCode;

import dev.skci.SkciException;
import java.io.PrintWriter;
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
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0    every simulation passed",
            "  1    at least one simulation failed",
            "  2    invalid input (flags, trace, config); nothing was run",
            "  3    environment failure (cluster, readiness gate, API); safe to retry",
            "  4    the overall deadline passed",
            "  5    inconclusive: a simulation did not reproduce its trace faithfully",
            "  130  interrupted (SIGINT), after cleanup",
            "  143  terminated (SIGTERM), after cleanup",
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
        RunCommand.addGateHelp(cl.getSubcommands().get("run"));
        cl.setParameterExceptionHandler(SkciCommand::onBadParameters);
        cl.setExecutionExceptionHandler(SkciCommand::onFailure);
        cl.setExitCodeExceptionMapper(t -> ExitCode.FAILED.code());
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
        PrintWriter err = cl.getErr();
        int code;
        if (e instanceof SkciException se) {
            err.println("skci: " + se.getMessage());
            code = ExitCode.of(se.kind(), ExitCode.DEADLINE).code();
        } else {
            err.println("skci: internal error: " + e + (debug ? "" : " (rerun with --debug for the stack trace)"));
            code = ExitCode.FAILED.code();
        }
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }
}
