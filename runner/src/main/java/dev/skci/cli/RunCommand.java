package dev.skci.cli;

import dev.skci.ExitCode;
import dev.skci.SkciException;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterShape;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.PoolSpec;
import dev.skci.config.Shard;
import dev.skci.config.SkciConfig;
import dev.skci.config.Simulations;
import dev.skci.override.OverrideCheck;
import dev.skci.report.SummaryJson;
import dev.skci.verdict.Rules;
import dev.skci.readiness.GateCatalog;
import dev.skci.replay.ReplayPlan;
import dev.skci.report.CiReports;
import dev.skci.run.Job;
import dev.skci.run.SimulationRun;
import dev.skci.trace.codec.TraceFile;
import dev.skci.trace.validate.ValidationReport;
import dev.skci.trace.validate.Validator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skci run}: replay traces in a simulation cluster, judge each, exit with a code CI can act on. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Replays each trace in a simulation cluster and judges it. Every trace is read and validated",
            "first; an invalid one stops the run with exit code 2 before any cluster work. Without a cluster",
            "given, a local one (real control plane, KWOK nodes, cert-manager; no Docker) is booted for the",
            "run and removed afterwards. Cleanup always runs, also on failure, SIGINT and SIGTERM.",
            "A directory means the .sktrace files directly inside it."
        },
        footer = {
            "",
            "Examples:",
            "  skci run traces/cronjob.sktrace --speed 10",
            "  skci run traces/ --speed 20 --keep-cluster",
            "  skci run my.sktrace --duration 5m --timeout 15m",
            "  skci run my.sktrace --provider existing --kubeconfig ~/.kube/sim.yaml",
            "",
            "  skci run --config skci.yaml",
            "  skci run my.sktrace --expect 'no-pending=pods.pendingAtEnd == 0' --repeat 3",
            "  skci run my.sktrace --baseline-config base.yaml --config skci.yaml"
            // "Exit codes:" and one line per code follow, from dev.skci.ExitCode (addExitCodeHelp).
        })
final class RunCommand implements Callable<Integer> {
    /** The help section listing every readiness gate, generated from {@link GateCatalog}. */
    static final String GATES_SECTION = "gates";

    @Parameters(arity = "0..*", paramLabel = "TRACE",
            description = "Trace files (.sktrace) or directories holding them. Without any, the traces listed under "
                    + "simulations: in the config.")
    List<Path> traces = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "The skci config (docs/config.md): expectations, setup manifests, overrides of traced objects. "
                    + "Default: skci.yaml in the working directory, if there is one.")
    Path config;

    @Option(names = "--expect", paramLabel = "NAME=EXPR",
            description = "An expectation in CEL over the metrics, e.g. --expect 'few-pending=pods.pendingAtEnd <= 2' "
                    + "(repeatable; docs/expectations.md lists the variables). Added to the config's.")
    List<String> expect = new ArrayList<>();

    @Option(names = "--baseline", paramLabel = "SUMMARY",
            description = "The summary.json of an earlier run: its metrics become baseline.* in expectations and the baseline "
                    + "of the reports' comparison table; simulations are matched by trace path.")
    Path baselineSummary;

    @Option(names = "--baseline-config", paramLabel = "FILE",
            description = "Paired runs: replay each trace first with this config (e.g. the target branch's skci.yaml), then "
                    + "with --config, in the same job, and judge the second against the first.")
    Path baselineConfig;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Replay each simulation N times; reports give each metric's spread and each expectation's flake "
                    + "rate, and call a baseline difference inside the spread within noise. Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "Run only this runner's share of the simulations: shard I of N (1-based; in GitLab "
                    + "\"$CI_NODE_INDEX/$CI_NODE_TOTAL\"). Every shard computes the same split, balanced by trace time / speed; "
                    + "'skci merge-reports' combines the shards' reports.")
    String shard;

    @Mixin
    ClusterTarget cluster;

    @Mixin
    NodeOptions nodes;

    @Option(names = "--speed", converter = SpeedConverter.class,
            description = "Replay speed factor (any positive number, or 'max'); overrides the config. Default: 1.")
    Double speed;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "Replay only this much trace time from the first event (e.g. 5m); later events are dropped and the run "
                    + "lasts until then. Overrides the config.")
    Duration duration;

    @Option(names = "--keep-cluster", description = "Leave a cluster this run booted running afterwards.")
    boolean keepCluster;

    @Option(names = "--namespace-prefix", defaultValue = "virtual",
            description = "Prefix of the virtual namespaces (<prefix>-<namespace>). Default: ${DEFAULT-VALUE}.")
    String namespacePrefix;

    @Option(names = "--timeout", defaultValue = "30m", converter = DurationConverter.class,
            description = "Overall deadline for the whole run, cleanup included; exit 4 when it passes. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--setup-timeout", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long setup steps (namespaces, webhook probe) may wait. Default: ${DEFAULT-VALUE}.")
    Duration setupTimeout;

    @Option(names = "--cleanup-timeout", defaultValue = "120s", converter = DurationConverter.class,
            description = "How long to wait for the run's objects to be deleted. Default: ${DEFAULT-VALUE}.")
    Duration cleanupTimeout;

    @Option(names = "--api-stall-timeout", defaultValue = "45s", converter = DurationConverter.class,
            description = "How long the API server may stop answering before the run is stopped (exit 3); a shorter stall "
                    + "is ridden out: the replay waits and its lateness shows the gap. Default: ${DEFAULT-VALUE}.")
    Duration apiStallTimeout;

    @Option(names = "--webhook-cert", defaultValue = "cert-manager",
            description = "Who issues the webhook's serving certificate: cert-manager (default; must be installed) or "
                    + "self-signed (skci's own CA, for clusters without cert-manager).")
    String webhookCert;

    @Option(names = "--gate-timeout", paramLabel = "GATE=DURATION",
            description = "How long a readiness gate may wait, e.g. --gate-timeout ca-bundle=5m (repeatable). "
                    + "The gates and their defaults are listed below.")
    Map<String, String> gateTimeouts = new LinkedHashMap<>();

    @Option(names = "--report-dir", defaultValue = "skci-reports",
            description = "Where reports go: junit.xml, summary.json, and a diagnostics .tar.gz per failed run. Default: ${DEFAULT-VALUE}.")
    Path reportDir;

    @Option(names = "--json", description = "Print the results as one JSON document on standard output (the console summary goes to standard error).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Adds the generated gate list to {@code skci run --help}, before the footer. */
    static void addGateHelp(CommandLine run) {
        run.getHelpSectionMap().put(GATES_SECTION, help -> "%nReadiness gates (in order; id, default timeout, what it proves):%n"
                .formatted() + String.join(System.lineSeparator(), GateCatalog.helpLines()) + System.lineSeparator());
        List<String> keys = new ArrayList<>(run.getHelpSectionKeys());
        keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), GATES_SECTION);
        run.setHelpSectionKeys(keys);
    }

    /** Appends the exit codes, from the one declaration ({@link ExitCode}), to {@code skci run --help}. */
    static void addExitCodeHelp(CommandLine run) {
        List<String> footer = new ArrayList<>(List.of(run.getCommandSpec().usageMessage().footer()));
        footer.add("");
        footer.add("Exit codes:");
        footer.addAll(ExitCode.helpLines());
        run.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
    }

    /**
     * The report directory must take files before any cluster work: a run whose reports cannot be written
     * is useless to CI, and finding out at the end would waste the whole run (exit 3, naming it).
     */
    static void checkReportDir(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
            Path probe = java.nio.file.Files.createTempFile(dir, ".skci-write-check", ".tmp");
            java.nio.file.Files.delete(probe);
        } catch (java.io.IOException | RuntimeException e) {
            throw SkciException.environment("the report directory " + dir + " is not writable (" + dev.skci.Failures.rootMessage(e)
                    + "); fix its permissions or free space, or choose another --report-dir");
        }
    }

    private SimulationRun.CertSource certSource() {
        return switch (webhookCert) {
            case "cert-manager" -> SimulationRun.CertSource.CERT_MANAGER;
            case "self-signed" -> SimulationRun.CertSource.SELF_SIGNED;
            default -> throw SkciException.invalidInput("--webhook-cert must be cert-manager or self-signed, not '" + webhookCert + "'");
        };
    }

    private Map<String, Duration> gateTimeouts() {
        Map<String, Duration> out = new LinkedHashMap<>();
        gateTimeouts.forEach((gate, value) -> {
            if (!GateCatalog.known(gate)) {
                throw SkciException.invalidInput("--gate-timeout: unknown gate '" + gate + "'; gates are "
                        + String.join(", ", GateCatalog.ids()));
            }
            try {
                out.put(gate, DurationConverter.parse(value));
            } catch (CommandLine.TypeConversionException e) {
                throw SkciException.invalidInput("--gate-timeout " + gate + ": " + e.getMessage());
            }
        });
        return out;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = json ? System.err : System.out;
        // Bad flags fail before the config and the traces are read, and all of them before any cluster work.
        SimulationRun.CertSource certSource = certSource();
        Map<String, Duration> gateTimeouts = gateTimeouts();
        if (repeat < 1 || repeat > 100) {
            throw SkciException.invalidInput("--repeat must be between 1 and 100, got " + repeat);
        }
        String clusterName = cluster.checkedName();
        ClusterProvider provider = cluster.provider(spec.commandLine().getErr());
        Simulations.Flags flags = new Simulations.Flags(Optional.ofNullable(speed), Optional.ofNullable(duration),
                expect.stream().map(Simulations::expectFlag).toList(), nodes.pools());
        Optional<Shard> shardOf = Optional.ofNullable(shard).map(Shard::parse);
        List<Path> given = ValidateCommand.expand(traces);
        SkciConfig skciConfig = Simulations.config(Optional.ofNullable(config));
        List<Simulations.Resolved> all = Simulations.resolve(skciConfig, given, flags);
        List<Simulations.Resolved> chosen = shardOf.map(s -> s.select(all, r -> cost(r, baselineConfig != null), r -> r.trace().toString()))
                .orElse(all);
        List<Simulations.Resolved> sims = chosen;
        Optional<List<Simulations.Resolved>> bases = Optional.ofNullable(baselineConfig).map(f -> Simulations.resolve(
                Simulations.config(Optional.of(f)), chosen.stream().map(Simulations.Resolved::trace).toList(), Simulations.Flags.NONE));
        // Once any simulation asks for a Kubernetes version, the others ask for the provider's default, so that each
        // gets a cluster of its own version rather than whatever the previous one left running.
        List<Simulations.Resolved> every = new ArrayList<>(sims);
        bases.ifPresent(every::addAll);
        if (every.stream().anyMatch(r -> r.cluster().kubernetesVersion().isPresent())) {
            sims = versioned(sims, provider.defaultKubernetesVersion());
            bases = bases.map(b -> versioned(b, provider.defaultKubernetesVersion()));
        }
        Map<String, SummaryJson.Baseline> fromFile = baselineSummary == null ? Map.of() : SummaryJson.baselines(baselineSummary);
        SimulationRun.Options base = new SimulationRun.Options(1, namespacePrefix, setupTimeout, cleanupTimeout,
                Duration.ofSeconds(2), certSource, gateTimeouts, reportDir, System.err, Rules.DEFAULT, Optional.empty());
        List<Job.Planned> planned = readAndValidate(sims, bases, fromFile, base, shardOf, provider.defaultKubernetesVersion());
        if (shardOf.isPresent()) {
            System.err.println("skci: shard " + shardOf.get() + ": " + sims.size() + " of " + all.size() + " simulation(s)"
                    + (sims.isEmpty() ? "" : ": " + String.join(", ", sims.stream().map(r -> r.trace().toString()).toList())));
            if (planned.isEmpty()) {
                // Nothing to judge here: no cluster is booted, and the (empty) reports still say which shard this was.
                CiReports.write(reportDir, List.of(), List.of(), ExitCode.PASSED.code(), shardOf, System.getenv(), System.out);
                return ExitCode.PASSED.code();
            }
        }
        // What the provider must honour and prepare (another Kubernetes version's binaries, scheduler configurations
        // checked by kube-scheduler): still before any cluster work, and invalid input if it cannot.
        List<ClusterShape> shapes = new ArrayList<>(sims.stream().map(Simulations.Resolved::cluster).toList());
        bases.ifPresent(b -> b.forEach(x -> shapes.add(x.cluster())));
        provider.check(shapes.stream().distinct().toList());
        // The cluster boots with the run's pools (they become its default) and the first simulation's scheduler and version
        // (after the empty-shard return: an empty shard has no first simulation).
        ClusterShape first = bases.map(b -> b.getFirst().cluster()).orElse(sims.getFirst().cluster());
        ClusterSpec clusterSpec = new ClusterSpec(clusterName, checkedForAutoscaler(Simulations.runPools(skciConfig, flags), sims, bases),
                first.scheduler(), first.kubernetesVersion());
        // Before the cluster boots: whether each replay can keep up at its speed on this machine (issue 12).
        Optional<dev.skci.preflight.Capacity> capacity = Preflights.capacity(provider);
        for (Job.Planned p : planned) {
            Preflights.print(System.err, p.trace(), p.plan(), p.options().speed(), capacity, p.options().rules().minPodSeconds());
        }

        checkReportDir(reportDir);

        Job.Outcome outcome = Job.run(planned, new Job.Settings(provider, clusterSpec, keepCluster, timeout, reportDir,
                System.getenv(), out, System.out, System.err, repeat, shardOf, apiStallTimeout), Job.simulations());
        if (json) {
            Json.print(spec.commandLine().getOut(), CiReports.summary(outcome.results(), outcome.errors(), outcome.exitCode().code()));
        }
        out.flush();
        outcome.failure().ifPresent(f -> Errors.report(spec.commandLine().getErr(), f));
        return outcome.exitCode().code();
    }

    private static List<Simulations.Resolved> versioned(List<Simulations.Resolved> list, Optional<String> fallback) {
        return list.stream().map(r -> new Simulations.Resolved(r.trace(), r.speed(), r.duration(), r.rules(), r.setup(),
                r.overrides(), r.cluster().withKubernetesVersion(r.cluster().kubernetesVersion().or(() -> fallback)), r.karpenter())).toList();
    }

    /** A traced kind the Kubernetes version no longer serves is invalid input, listing all of them, before the cluster boots. */
    private static void servedKinds(Path trace, ReplayPlan plan, Optional<String> version) {
        if (version.isEmpty()) {
            return;
        }
        int minor = dev.skci.cluster.KubernetesVersions.minor(version.get());
        List<String> gone = plan.kinds().stream().map(k -> dev.skci.cluster.ApiRemovals.removed(k, minor)).flatMap(Optional::stream)
                .sorted().toList();
        if (!gone.isEmpty()) {
            throw SkciException.invalidInput(trace + ": Kubernetes " + version.get() + " does not serve " + gone.size()
                    + " kind(s) the trace applies: " + String.join(", ", gone));
        }
    }

    /** The plan, once every override of the simulation matched a traced object and applied to it (else exit 2). */
    private static ReplayPlan checked(TraceFile f, ReplayPlan plan, Simulations.Resolved r) {
        OverrideCheck.check(f, r.overrides(), plan.endTs(), plan.durationGiven());
        return plan;
    }

    /**
     * The run's default pools, checked for Karpenter in the loop: its provider must be one that runs it (else exit 2,
     * before anything boots), and {@code --nodes 0} is only for a run with an autoscaler. (A simulation with Karpenter
     * and no pools of its own gets no static nodes: {@code Simulations.resolve}.)
     */
    private Optional<List<PoolSpec>> checkedForAutoscaler(Optional<List<PoolSpec>> pools, List<Simulations.Resolved> sims,
            Optional<List<Simulations.Resolved>> bases) {
        List<Simulations.Resolved> all = new ArrayList<>(sims);
        bases.ifPresent(all::addAll);
        long autoscaled = all.stream().filter(r -> r.karpenter().isPresent()).count();
        if (autoscaled == 0) {
            NodeOptions.refuseNoNodes(pools, " (0 only with an autoscaler: cluster.autoscaler in the config)");
            return pools;
        }
        if (!dev.skci.cluster.Providers.named(cluster.providerName()).hostComponents()) {
            String where = all.stream().flatMap(r -> r.karpenter().stream()).findFirst().orElseThrow().where();
            throw SkciException.invalidInput(where + ": cluster.autoscaler.karpenter cannot run with --provider " + cluster.providerName()
                    + ": skci runs Karpenter beside a cluster it owns (--provider local), and Karpenter would create nodes in a "
                    + "cluster that is not skci's; use the local provider, or remove cluster.autoscaler from the config");
        }
        dev.skci.autoscaler.KarpenterBinaries.pinned().require(); // missing: exit 3 now, not after the cluster booted
        return pools;
    }

    /**
     * Reads and validates every trace before any cluster work. Invalid ones end the run with exit 2, after
     * the reports name each of them.
     */
    /**
     * The expected wall time of a simulation, for balancing shards: its trace time (up to --duration) over its speed,
     * for each run of it. A trace that cannot be read costs the fixed part only; the shard that gets it reports it.
     */
    private double cost(Simulations.Resolved r, boolean paired) {
        double seconds;
        try {
            TraceFile f = TraceFile.open(r.trace());
            seconds = Math.max(0, f.lastTs() - f.firstTs());
        } catch (SkciException e) {
            seconds = 0;
        }
        if (r.duration().isPresent()) {
            seconds = Math.min(seconds, r.duration().get().toMillis() / 1000.0);
        }
        return Shard.cost(seconds, r.speed(), repeat * (paired ? 2 : 1));
    }

    private List<Job.Planned> readAndValidate(List<Simulations.Resolved> sims, Optional<List<Simulations.Resolved>> bases,
            Map<String, SummaryJson.Baseline> fromFile, SimulationRun.Options base, Optional<Shard> shardOf, Optional<String> providerVersion)
            throws java.io.IOException {
        List<Job.Planned> out = new ArrayList<>();
        List<CiReports.TraceError> invalid = new ArrayList<>();
        SkciException first = null;
        for (int i = 0; i < sims.size(); i++) {
            Simulations.Resolved r = sims.get(i);
            Path p = r.trace();
            int index = i;
            try {
                TraceFile f = TraceFile.open(p);
                ValidationReport report = Validator.validate(f);
                if (report.hasErrors()) {
                    report.lines().stream().filter(l -> l.startsWith("error")).forEach(System.err::println);
                    throw SkciException.invalidInput(p + ": the trace is invalid (" + report.errorCount()
                            + " error(s) above); fix it, then run again; 'skci validate " + p + "' lists every finding");
                }
                SummaryJson.Baseline b = fromFile.get(f.name());
                if (b != null && b.traceSha256() != null && !b.traceSha256().equals(SummaryJson.sha256(f.name()))) {
                    System.err.println("skci: warning: the baseline of " + f.name() + " was recorded with a different version of "
                            + "the trace (its SHA-256 differs); the comparison may not mean much");
                }
                if (baselineSummary != null && b == null) {
                    System.err.println("skci: warning: " + baselineSummary + " has no run of " + f.name() + "; it gets no baseline");
                }
                SimulationRun.Options options = base.withSpeed(r.speed()).withRules(r.rules()).withCluster(r.cluster())
                        .withBaseline(Optional.ofNullable(b).map(SummaryJson.Baseline::metrics))
                        .withChanges(new SimulationRun.Changes(r.setup(), r.overrides())).withKarpenter(r.karpenter());
                Optional<Job.Base> paired = bases.map(list -> list.get(index))
                        .map(x -> new Job.Base(checked(f, ReplayPlan.scan(f, x.duration()), x), base.withSpeed(x.speed())
                                .withRules(x.rules()).withCluster(x.cluster())
                                .withChanges(new SimulationRun.Changes(x.setup(), x.overrides())).withKarpenter(x.karpenter())));
                ReplayPlan plan = checked(f, ReplayPlan.scan(f, r.duration()), r);
                servedKinds(p, plan, r.cluster().kubernetesVersion().or(() -> providerVersion));
                paired.ifPresent(x -> servedKinds(p, x.plan(), x.options().cluster().kubernetesVersion().or(() -> providerVersion)));
                out.add(new Job.Planned(f, plan, options, paired));
            } catch (SkciException e) {
                invalid.add(new CiReports.TraceError(p.toString(), e.getMessage()));
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            try {
                CiReports.write(reportDir, List.of(), invalid, ExitCode.INVALID_INPUT.code(), shardOf, System.getenv(), System.out);
            } catch (java.io.IOException | RuntimeException e) {
                // The input is the problem to report (exit 2); the reports are a courtesy here.
                System.err.println("skci: warning: cannot write the reports into " + reportDir + ": " + dev.skci.Failures.rootMessage(e));
            }
            throw first;
        }
        return out;
    }
}
