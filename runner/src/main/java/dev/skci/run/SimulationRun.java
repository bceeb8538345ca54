package dev.skci.run;

import dev.skci.autoscaler.KarpenterSpec;
import dev.skci.cluster.Cluster;
import dev.skci.cluster.ClusterShape;
import dev.skci.diagnostics.Diagnostics;
import dev.skci.override.Patch;
import dev.skci.setup.Setup;
import dev.skci.setup.SetupApplier;
import dev.skci.replay.ReplayPlan;
import dev.skci.result.CleanupReport;
import dev.skci.result.SimulationResult;
import dev.skci.sim.RunIdentity;
import dev.skci.trace.codec.TraceFile;
import dev.skci.observe.Metrics;
import dev.skci.verdict.Judge;
import dev.skci.verdict.Rules;
import dev.skci.verdict.Verdict;
import dev.skci.wait.Deadline;
import dev.skci.webhook.AdmissionServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One simulation of one trace on a ready cluster: the steps of {@link SimulationSteps} in order, then,
 * if anything failed, a diagnostics bundle (while everything still exists), then the teardowns in
 * reverse, whatever happened, including an interrupt. Returns the result, or rethrows what stopped
 * the run once it is cleaned up.
 */
public final class SimulationRun {
    /** Where the webhook's serving certificate comes from ({@code --webhook-cert}). */
    public enum CertSource { CERT_MANAGER, SELF_SIGNED }

    /**
     * How to run one simulation; see {@code skci run --help} and docs/config.md.
     *
     * @param rules how it is judged (default checks switched off, the fidelity threshold, expectations)
     * @param baseline the metrics of the baseline run of the same trace, for {@code baseline.*} in expectations
     * @param changes setup manifests and overrides (docs/config.md)
     * @param cluster what the simulation asks of the cluster (node pools, scheduler configuration, Kubernetes version)
     */
    public record Options(double speed, String namespacePrefix, Duration setupTimeout, Duration cleanupTimeout, Duration settle,
            CertSource certSource, Map<String, Duration> gateTimeouts, Path reportDir, PrintStream console, Rules rules,
            Optional<Metrics> baseline, Changes changes, ClusterShape cluster, Optional<KarpenterSpec> karpenter) {

        public Options(double speed, String namespacePrefix, Duration setupTimeout, Duration cleanupTimeout, Duration settle,
                CertSource certSource, Map<String, Duration> gateTimeouts, Path reportDir, PrintStream console, Rules rules,
                Optional<Metrics> baseline) {
            this(speed, namespacePrefix, setupTimeout, cleanupTimeout, settle, certSource, gateTimeouts, reportDir, console, rules,
                    baseline, Changes.NONE, ClusterShape.DEFAULT, Optional.empty());
        }

        public Options withChanges(Changes c) {
            return new Options(speed, namespacePrefix, setupTimeout, cleanupTimeout, settle, certSource, gateTimeouts, reportDir, console,
                    rules, baseline, c, cluster, karpenter);
        }

        public static Options defaults() {
            return new Options(1.0, dev.skci.sim.VirtualNamespaces.DEFAULT_PREFIX, Duration.ofSeconds(60), Duration.ofSeconds(120),
                    Duration.ofSeconds(2), CertSource.CERT_MANAGER, Map.of(), Path.of("skci-reports"), System.err, Rules.DEFAULT,
                    Optional.empty());
        }

        public Options withSpeed(double s) {
            return new Options(s, namespacePrefix, setupTimeout, cleanupTimeout, settle, certSource, gateTimeouts, reportDir, console,
                    rules, baseline, changes, cluster, karpenter);
        }

        public Options withNamespacePrefix(String p) {
            return new Options(speed, p, setupTimeout, cleanupTimeout, settle, certSource, gateTimeouts, reportDir, console, rules,
                    baseline, changes, cluster, karpenter);
        }

        public Options withConsole(PrintStream c) {
            return new Options(speed, namespacePrefix, setupTimeout, cleanupTimeout, settle, certSource, gateTimeouts, reportDir, c,
                    rules, baseline, changes, cluster, karpenter);
        }

        public Options withReportDir(Path p) {
            return new Options(speed, namespacePrefix, setupTimeout, cleanupTimeout, settle, certSource, gateTimeouts, p, console,
                    rules, baseline, changes, cluster, karpenter);
        }

        public Options withRules(Rules r) {
            return new Options(speed, namespacePrefix, setupTimeout, cleanupTimeout, settle, certSource, gateTimeouts, reportDir, console,
                    r, baseline, changes, cluster, karpenter);
        }

        public Options withCluster(ClusterShape c) {
            return new Options(speed, namespacePrefix, setupTimeout, cleanupTimeout, settle, certSource, gateTimeouts, reportDir, console,
                    rules, baseline, changes, c, karpenter);
        }

        /** With Karpenter in the loop ({@code cluster.autoscaler.karpenter}), or without when empty. */
        public Options withKarpenter(Optional<KarpenterSpec> k) {
            return new Options(speed, namespacePrefix, setupTimeout, cleanupTimeout, settle, certSource, gateTimeouts, reportDir, console,
                    rules, baseline, changes, cluster, k);
        }

        public Options withBaseline(Optional<Metrics> b) {
            return new Options(speed, namespacePrefix, setupTimeout, cleanupTimeout, settle, certSource, gateTimeouts, reportDir, console,
                    rules, b, changes, cluster, karpenter);
        }
    }

    /**
     * What the pull request adds to a simulation besides the trace (docs/config.md): objects applied before
     * the first event, and patches of the traced objects.
     */
    public record Changes(Setup setup, List<Patch> overrides) {
        public static final Changes NONE = new Changes(Setup.NONE, List.of());

        public Changes {
            overrides = List.copyOf(overrides);
        }
    }

    /** Attached to what stopped a simulation when its cleanup then left something behind: the report names it. */
    public static final class CleanupIncomplete extends RuntimeException {
        CleanupIncomplete(String runName, List<String> leftovers) {
            super("cleanup of run " + runName + " did not finish: " + String.join("; ", leftovers), null, false, false);
        }
    }

    /** Hooks tests use to break things on purpose at a given moment (the postmortem as tests). */
    public interface Hooks {
        Hooks NONE = new Hooks() {};

        /** Called once the webhook is serving and registered, before the gates that prove it. */
        default void webhookRegistered(KubernetesClient client, String runName, AdmissionServer server) {}

        /** Called after every gate passed, right before replay starts. */
        default void replayStarting(KubernetesClient client, String runName, AdmissionServer server) {}

        /**
         * Whether the observer watches the run's pods and events (nodes are always watched). Only the observer-overhead
         * benchmark turns it off, to measure the runner without it; a run judged without pods says nothing.
         */
        default boolean observePods() {
            return true;
        }
    }

    private final Cluster cluster;
    private final Options options;
    private final Hooks hooks;
    private final List<? extends Step<Simulation>> steps;

    public SimulationRun(Cluster cluster, Options options, Hooks hooks) {
        this(cluster, options, hooks, SimulationSteps.ALL);
    }

    SimulationRun(Cluster cluster, Options options, Hooks hooks, List<? extends Step<Simulation>> steps) {
        this.cluster = cluster;
        this.options = options;
        this.hooks = hooks;
        this.steps = steps;
    }

    public SimulationResult run(TraceFile trace, ReplayPlan plan, Deadline deadline) throws InterruptedException {
        long started = System.nanoTime();
        Simulation s = new Simulation(cluster, trace, plan, options, hooks, deadline, RunIdentity.newName());
        AtomicReference<Optional<Path>> diagnostics = new AtomicReference<>(Optional.empty());
        StepRunner.Outcome outcome = StepRunner.run(steps, s, new Teardowns(), failure -> {
            if (failure.isPresent() || (s.verdict != null && !s.verdict.passed())) {
                diagnostics.set(writeDiagnostics(s, failure));
            }
        });
        if (outcome.failure().isPresent()) {
            Throwable e = outcome.failure().get().error();
            if (s.cleanup != null && !s.cleanup.complete()) {
                e.addSuppressed(new CleanupIncomplete(s.runName, s.cleanup.leftovers()));
            }
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("step " + outcome.failure().get().step() + " failed: " + e, e);
        }
        CleanupReport cleanup = s.cleanup != null ? s.cleanup : new CleanupReport(false, Duration.ZERO, List.of("cleanup did not run"));
        Verdict verdict = Judge.of(s.evidence, s.metrics, options.rules(), options.baseline(), Optional.of(cleanup.leftovers()));
        var stats = s.mutator.stats();
        return new SimulationResult(trace.name(), s.runName, verdict, s.metrics,
                new SimulationResult.Replay(s.stats, s.lateness),
                new SimulationResult.Admission(stats.mutated(), stats.completes(), stats.runsUntilDeleted(), stats.denied(),
                        s.server.requests().entries()),
                new SimulationResult.Pods(s.observer.pods(), s.observer.byFinalPhase()),
                new SimulationResult.Harness(s.gates.results(), cleanup, Duration.ofNanos(System.nanoTime() - started),
                        diagnostics.get())).withBaseline(options.baseline())
                .withChanges(new SimulationResult.Changes(s.setup.stream().map(SetupApplier.Applied::describe).toList(),
                        s.overrides.uses()));
    }

    private Optional<Path> writeDiagnostics(Simulation s, Optional<StepRunner.Failed> failure) {
        List<String> problems = new ArrayList<>(s.verdict == null ? List.of() : s.verdict.reasons());
        failure.ifPresent(f -> problems.add(0, dev.skci.SkciException.isInterrupt(f.error()) ? "interrupted"
                : String.valueOf(f.error().getMessage())));
        try {
            Path p = Diagnostics.write(options.reportDir(), cluster, new Diagnostics.Scope(s.runName, s.virtualNamespaces, s.runName,
                    s.gates.results(), problems, s.server == null ? List.of() : s.server.requests().entries()));
            options.console().println("skci: diagnostics written to " + p);
            return Optional.of(p);
        } catch (IOException | RuntimeException e) {
            options.console().println("skci: could not write diagnostics: " + e.getMessage());
            return Optional.empty();
        }
    }
}
