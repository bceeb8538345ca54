package dev.skci.run;

import dev.skci.ExitCode;
import dev.skci.Failures;
import dev.skci.cluster.ClusterWatch;
import dev.skci.cluster.Cluster;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterSpec;
import dev.skci.replay.ReplayPlan;
import dev.skci.report.CiReports;
import dev.skci.report.RunSummary;
import dev.skci.result.SimulationResult;
import dev.skci.trace.codec.TraceFile;
import dev.skci.verdict.Verdict;
import dev.skci.wait.Deadline;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code skci run} once its input is valid: a cluster session, one simulation per trace, the
 * reports, and the exit code, in that order; the reports are written on every path. SIGINT and SIGTERM,
 * and the overall deadline, interrupt the simulation, which then cleans up; the exit code says which.
 */
public final class Job {
    /**
     * A validated trace, what its replay will touch and how it is run and judged; with {@code base}, it is
     * a paired run: first the baseline configuration, then this one, judged against it.
     */
    public record Planned(TraceFile trace, ReplayPlan plan, SimulationRun.Options options, Optional<Base> base) {
        public Planned(TraceFile trace, ReplayPlan plan, SimulationRun.Options options) {
            this(trace, plan, options, Optional.empty());
        }
    }

    /** The baseline side of a paired run ({@code --baseline-config}). */
    public record Base(ReplayPlan plan, SimulationRun.Options options) {}

    /** Runs one simulation; the real one is {@link SimulationRun}, tests give their own. */
    @FunctionalInterface
    public interface Simulator {
        SimulationResult simulate(Cluster cluster, TraceFile trace, ReplayPlan plan, SimulationRun.Options options, Deadline deadline)
                throws InterruptedException;
    }

    /**
     * @param out where the per-simulation summaries go (stdout, or stderr with --json)
     * @param stdout the process's standard output (GitHub workflow commands go there)
     */
    public record Settings(ClusterProvider provider, ClusterSpec cluster, boolean keepCluster, Duration timeout, Path reportDir,
            Map<String, String> env, PrintStream out, PrintStream stdout, PrintStream console, int repeat,
            Optional<dev.skci.config.Shard> shard, Duration apiStallTimeout) {
        public Settings(ClusterProvider provider, ClusterSpec cluster, boolean keepCluster, Duration timeout, Path reportDir,
                Map<String, String> env, PrintStream out, PrintStream stdout, PrintStream console, int repeat,
                Optional<dev.skci.config.Shard> shard) {
            this(provider, cluster, keepCluster, timeout, reportDir, env, out, stdout, console, repeat, shard,
                    ClusterWatch.DEFAULT_STALL_TIMEOUT);
        }

        public Settings(ClusterProvider provider, ClusterSpec cluster, boolean keepCluster, Duration timeout, Path reportDir,
                Map<String, String> env, PrintStream out, PrintStream stdout, PrintStream console, int repeat) {
            this(provider, cluster, keepCluster, timeout, reportDir, env, out, stdout, console, repeat, Optional.empty());
        }
    }


    /**
     * What happened: the verdicts, the traces that got none, the exit code, and, when the run did not
     * end by itself, what stopped it (one line for the user; a bug is marked as such).
     */
    public record Outcome(List<SimulationResult> results, List<CiReports.TraceError> errors, ExitCode exitCode,
            Optional<Failures.Outcome> failure) {}

    private Job() {}

    public static Outcome run(List<Planned> planned, Settings settings, Simulator simulator) {
        Thread main = Thread.currentThread();
        Signals.interruptOnSignal(main);
        Stop stop = new Stop(main);
        Deadline deadline = Deadline.after(settings.timeout());
        Thread watchdog = Thread.ofPlatform().daemon().name("skci-deadline").start(() -> {
            try {
                Thread.sleep(settings.timeout().toMillis());
                settings.console().println("skci: the --timeout of " + settings.timeout().toSeconds()
                        + " s passed; stopping and cleaning up");
                stop.stop(ExitCode.DEADLINE, "the --timeout of " + settings.timeout().toSeconds() + " s passed");
            } catch (InterruptedException e) {
                // the run finished first
            }
        });

        List<SimulationResult> results = new ArrayList<>();
        List<CiReports.TraceError> errors = new ArrayList<>();
        Throwable thrown = null;
        String current = null;
        // Each cluster of the job is watched while the job uses it (Sessions starts a watch per cluster).
        try (Sessions sessions = new Sessions(settings.provider(), settings.cluster(), settings.keepCluster(),
                line -> settings.console().println("skci: " + line),
                cluster -> ClusterWatch.start(cluster, settings.apiStallTimeout(), problem -> {
                    settings.console().println("skci: " + problem + "; stopping the run and cleaning up");
                    stop.stop(ExitCode.ENVIRONMENT, problem);
                }))) {
            if (planned.isEmpty()) {
                sessions.cluster(dev.skci.cluster.ClusterShape.DEFAULT); // a job without simulations still gets its cluster
            }
            for (Planned p : planned) {
                if (stop.reason().isPresent()) {
                    break;
                }
                current = p.trace().name();
                for (int repeat = 1; repeat <= settings.repeat() && stop.reason().isEmpty(); repeat++) {
                    Optional<dev.skci.observe.Metrics> baseline = p.options().baseline();
                    if (p.base().isPresent()) {
                        SimulationResult b = simulator.simulate(sessions.cluster(p.base().get().options().cluster()), p.trace(),
                                p.base().get().plan(),
                                p.base().get().options(), deadline).withAttempt(
                                        new SimulationResult.Attempt(repeat, settings.repeat(), SimulationResult.Role.BASELINE));
                        results.add(b);
                        RunSummary.print(settings.out(), b);
                        baseline = Optional.of(b.metrics());
                    }
                    SimulationResult r = simulator.simulate(sessions.cluster(p.options().cluster()), p.trace(), p.plan(),
                            p.options().withBaseline(baseline),
                            deadline).withAttempt(new SimulationResult.Attempt(repeat, settings.repeat(), SimulationResult.Role.CANDIDATE));
                    results.add(r);
                    RunSummary.print(settings.out(), r);
                }
                current = null;
            }
        } catch (Exception | Error e) {
            thrown = e; // what it means is decided below, once, with the reports written first
        } finally {
            watchdog.interrupt();
            Thread.interrupted(); // the interrupt that ended the run is handled here, once
        }
        boolean interrupted = thrown != null && Failures.interrupt(thrown) || stop.reason().isPresent();
        if (results.size() > 1 || interrupted && !results.isEmpty()) {
            RunSummary.table(settings.out(), results);
        }
        Optional<Failures.Outcome> failure = failure(thrown, stop);
        ExitCode code = exitCode(results, stop.reason(), failure);
        if (failure.isPresent() && !(code == ExitCode.INTERRUPTED || code == ExitCode.TERMINATED || code == ExitCode.DEADLINE)) {
            // The simulation that was running when the run stopped gets a test case of its own.
            errors.add(new CiReports.TraceError(current != null ? current : "(cluster)", failure.get().message()
                    + cleanupNote(thrown)));
        }
        try {
            CiReports.write(settings.reportDir(), results, errors, code.code(), settings.shard(), settings.env(), settings.stdout());
        } catch (IOException | RuntimeException e) {
            String verdict = "; the run itself ended as '" + code.result() + "' (" + code.code() + ")"
                    + failure.map(f -> ": " + f.message()).orElse("");
            failure = Optional.of(new Failures.Outcome(ExitCode.ENVIRONMENT, "cannot write the reports into " + settings.reportDir() + ": "
                    + Failures.rootMessage(e) + verdict + "; free some space, or choose another --report-dir", e));
            code = ExitCode.ENVIRONMENT;
        }
        return new Outcome(List.copyOf(results), List.copyOf(errors), code, failure);
    }

    /** What stopped the run, if anything but its own end: a stop reason (the cluster's, the deadline's) or what was thrown. */
    private static Optional<Failures.Outcome> failure(Throwable thrown, Stop stop) {
        if (stop.reason().isPresent() && (thrown == null || Failures.interrupt(thrown))) {
            Stop.Reason r = stop.reason().get();
            return Optional.of(new Failures.Outcome(r.code(), r.message(), thrown));
        }
        if (thrown == null) {
            return Optional.empty();
        }
        if (Failures.interrupt(thrown) && Signals.received() == null) {
            return Optional.of(new Failures.Outcome(ExitCode.INTERNAL_ERROR, "internal error: the run was interrupted, but not by a "
                    + "signal, the deadline or the cluster", thrown));
        }
        return Optional.of(Failures.classify(thrown, interruptedAs()));
    }

    /** What cleanup left, when the simulation that was stopped says so. */
    private static String cleanupNote(Throwable thrown) {
        if (thrown == null) {
            return "";
        }
        for (Throwable s : thrown.getSuppressed()) {
            if (s instanceof SimulationRun.CleanupIncomplete c) {
                return "; " + c.getMessage();
            }
        }
        return "";
    }

    private static ExitCode interruptedAs() {
        return Signals.received() == null ? ExitCode.DEADLINE
                : Signals.received().equals("INT") ? ExitCode.INTERRUPTED : ExitCode.TERMINATED;
    }

    /** Signals first, then what stopped the run (the deadline, the cluster), then a failure, then the verdicts. */
    static ExitCode exitCode(List<SimulationResult> results, Optional<Stop.Reason> stopped, Optional<Failures.Outcome> failure) {
        if (Signals.received() != null) {
            return interruptedAs();
        }
        if (stopped.isPresent()) {
            return stopped.get().code();
        }
        if (failure.isPresent()) {
            return failure.get().code();
        }
        // Baseline runs are there to compare with; only the runs of the change decide.
        List<SimulationResult> judged = results.stream().filter(r -> r.attempt().role() == SimulationResult.Role.CANDIDATE).toList();
        if (judged.stream().anyMatch(r -> r.outcome() == Verdict.Outcome.FAILED)) {
            return ExitCode.FAILED;
        }
        return judged.stream().anyMatch(r -> r.outcome() == Verdict.Outcome.INCONCLUSIVE) ? ExitCode.INCONCLUSIVE : ExitCode.PASSED;
    }

    /** The real simulator. */
    public static Simulator simulations() {
        return (cluster, trace, plan, options, deadline) -> new SimulationRun(cluster, options, SimulationRun.Hooks.NONE)
                .run(trace, plan, deadline);
    }
}
