package dev.skci.run;

import dev.skci.ExitCode;
import dev.skci.SkciException;
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
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

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
            Optional<dev.skci.config.Shard> shard) {
        public Settings(ClusterProvider provider, ClusterSpec cluster, boolean keepCluster, Duration timeout, Path reportDir,
                Map<String, String> env, PrintStream out, PrintStream stdout, PrintStream console, int repeat) {
            this(provider, cluster, keepCluster, timeout, reportDir, env, out, stdout, console, repeat, Optional.empty());
        }
    }

    /** What happened: the verdicts, the traces that got none, and the exit code. */
    public record Outcome(List<SimulationResult> results, List<CiReports.TraceError> errors, ExitCode exitCode,
            Optional<SkciException> failure) {}

    private Job() {}

    public static Outcome run(List<Planned> planned, Settings settings, Simulator simulator) {
        Thread main = Thread.currentThread();
        Signals.interruptOnSignal(main);
        AtomicBoolean deadlinePassed = new AtomicBoolean();
        Deadline deadline = Deadline.after(settings.timeout());
        Thread watchdog = Thread.ofPlatform().daemon().name("skci-deadline").start(() -> {
            try {
                Thread.sleep(settings.timeout().toMillis());
                deadlinePassed.set(true);
                settings.console().println("skci: the --timeout of " + settings.timeout().toSeconds()
                        + " s passed; stopping and cleaning up");
                main.interrupt();
            } catch (InterruptedException e) {
                // the run finished first
            }
        });

        List<SimulationResult> results = new ArrayList<>();
        List<CiReports.TraceError> errors = new ArrayList<>();
        boolean interrupted = false;
        SkciException failure = null;
        String current = null;
        try (Session session = Session.open(settings.provider(), settings.cluster(), settings.keepCluster(),
                line -> settings.console().println("skci: " + line))) {
            for (Planned p : planned) {
                current = p.trace().name();
                for (int repeat = 1; repeat <= settings.repeat(); repeat++) {
                    Optional<dev.skci.observe.Metrics> baseline = p.options().baseline();
                    if (p.base().isPresent()) {
                        SimulationResult b = simulator.simulate(session.cluster(), p.trace(), p.base().get().plan(),
                                p.base().get().options(), deadline).withAttempt(
                                        new SimulationResult.Attempt(repeat, settings.repeat(), SimulationResult.Role.BASELINE));
                        results.add(b);
                        RunSummary.print(settings.out(), b);
                        baseline = Optional.of(b.metrics());
                    }
                    SimulationResult r = simulator.simulate(session.cluster(), p.trace(), p.plan(), p.options().withBaseline(baseline),
                            deadline).withAttempt(new SimulationResult.Attempt(repeat, settings.repeat(), SimulationResult.Role.CANDIDATE));
                    results.add(r);
                    RunSummary.print(settings.out(), r);
                }
                current = null;
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (SkciException e) {
            if (e.kind() == SkciException.Kind.INTERRUPTED) {
                interrupted = true;
            } else {
                failure = e; // reported by the caller, after the CI reports are written
                errors.add(new CiReports.TraceError(current != null ? current : "(cluster)", e.getMessage()));
            }
        } finally {
            watchdog.interrupt();
            Thread.interrupted(); // the interrupt that ended the run is handled here, once
        }
        if (results.size() > 1 || interrupted) {
            RunSummary.table(settings.out(), results);
        }
        ExitCode code = exitCode(results, interrupted, deadlinePassed.get(), failure);
        try {
            CiReports.write(settings.reportDir(), results, errors, code.code(), settings.shard(), settings.env(), settings.stdout());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reports into " + settings.reportDir(), e);
        }
        return new Outcome(List.copyOf(results), List.copyOf(errors), code, Optional.ofNullable(failure));
    }

    /** Signals first, then the deadline, then an environment or input failure, then the verdicts. */
    static ExitCode exitCode(List<SimulationResult> results, boolean interrupted, boolean deadlinePassed, SkciException failure) {
        ExitCode interruptedAs = Signals.received() == null ? ExitCode.DEADLINE
                : Signals.received().equals("INT") ? ExitCode.INTERRUPTED : ExitCode.TERMINATED;
        if (Signals.received() != null || deadlinePassed || interrupted) {
            return interruptedAs;
        }
        if (failure != null) {
            return ExitCode.of(failure.kind(), interruptedAs);
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
