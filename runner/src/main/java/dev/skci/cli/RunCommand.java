package dev.skci.cli;

import dev.skci.Deadline;
import dev.skci.SkciException;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.Providers;
import dev.skci.cluster.local.LocalProvider;
import dev.skci.readiness.Gates;
import dev.skci.replay.ReplayPlan;
import dev.skci.report.CiReports;
import dev.skci.report.RunSummary;
import dev.skci.run.Session;
import dev.skci.run.Signals;
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
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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
            "Exit codes: 0 passed, 1 a simulation failed, 2 invalid input, 3 environment, 4 deadline,",
            "130/143 interrupted by SIGINT/SIGTERM (after cleanup)."
        })
final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "TRACE", description = "Trace files (.sktrace) or directories holding them.")
    List<Path> traces;

    @Option(names = "--speed", defaultValue = "1", converter = SpeedConverter.class,
            description = "Replay speed factor (any positive number, or 'max'). Default: ${DEFAULT-VALUE}.")
    double speed;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "Replay only this much trace time from the first event (e.g. 5m); later events are dropped and the run lasts until then.")
    Duration duration;

    @Option(names = "--provider", defaultValue = Providers.DEFAULT,
            description = "Where the simulation runs: local (default; boots one), existing (needs --kubeconfig), kind.")
    String provider;

    @Option(names = "--kubeconfig", description = "Kubeconfig of an existing simulation cluster (implies --provider existing).")
    Path kubeconfig;

    @Option(names = "--webhook-host", defaultValue = "127.0.0.1",
            description = "With --provider existing: the address at which the cluster's API server reaches this host "
                    + "(for kind, the Docker network's gateway, e.g. 172.18.0.1). Default: ${DEFAULT-VALUE}.")
    String webhookHost;

    @Option(names = "--cluster-name", defaultValue = ClusterSpec.DEFAULT_NAME,
            description = "Name of the local cluster to boot or reuse. Default: ${DEFAULT-VALUE}.")
    String clusterName;

    @Option(names = "--nodes", defaultValue = "3", description = "Virtual nodes to create. Default: ${DEFAULT-VALUE}.")
    int nodes;

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

    @Option(names = "--webhook-cert", defaultValue = "cert-manager",
            description = "Who issues the webhook's serving certificate: cert-manager (default; must be installed) or "
                    + "self-signed (skci's own CA, for clusters without cert-manager).")
    String webhookCert;

    @Option(names = "--gate-timeout", paramLabel = "GATE=DURATION",
            description = "How long a readiness gate may wait, e.g. --gate-timeout ca-bundle=5m (repeatable). Gates: "
                    + "api-server, kwok, virtual-nodes, cert-manager, issuers, certificate, secret, ca-bundle, "
                    + "webhook-serving, probe. Default 60s each, ca-bundle 180s.")
    Map<String, String> gateTimeouts = new LinkedHashMap<>();

    @Option(names = "--report-dir", defaultValue = "skci-reports",
            description = "Where reports go: junit.xml, summary.json, and a diagnostics .tar.gz per failed run. Default: ${DEFAULT-VALUE}.")
    Path reportDir;

    @Option(names = "--json", description = "Print the results as one JSON document on standard output (the console summary goes to standard error).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

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
            if (!Gates.IDS.contains(gate)) {
                throw SkciException.invalidInput("--gate-timeout: unknown gate '" + gate + "'; gates are " + String.join(", ", Gates.IDS));
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
        if (kubeconfig != null && provider.equals(Providers.DEFAULT)) {
            provider = "existing";
        }
        if (nodes < 1) {
            throw SkciException.invalidInput("--nodes must be at least 1");
        }
        SimulationRun.CertSource certSource = certSource();     // bad flags fail before the traces are read
        Map<String, Duration> gateTimeouts = gateTimeouts();
        List<Planned> planned = readAndValidate();

        Thread main = Thread.currentThread();
        Signals.interruptOnSignal(main);
        AtomicBoolean deadlinePassed = new AtomicBoolean();
        Deadline deadline = Deadline.after(timeout);
        Thread watchdog = Thread.ofPlatform().daemon().name("skci-deadline").start(() -> {
            try {
                Thread.sleep(timeout.toMillis());
                deadlinePassed.set(true);
                System.err.println("skci: the --timeout of " + timeout.toSeconds() + " s passed; stopping and cleaning up");
                main.interrupt();
            } catch (InterruptedException e) {
                // the run finished first
            }
        });

        SimulationRun.Options options = new SimulationRun.Options(speed, Optional.ofNullable(duration), namespacePrefix,
                setupTimeout, cleanupTimeout, Duration.ofSeconds(2), certSource, gateTimeouts, Gates.DEFAULT_TIMEOUT,
                reportDir, System.err);
        List<SimulationRun.Result> results = new ArrayList<>();
        boolean interrupted = false;
        SkciException failure = null;
        ClusterSpec clusterSpec = new ClusterSpec(clusterName, nodes, ClusterSpec.NodeShape.DEFAULT);
        ClusterProvider chosen = provider.equals("existing") && kubeconfig != null
                ? Providers.existing(kubeconfig, webhookHost)
                : Providers.named(provider, Optional.ofNullable(kubeconfig), LocalProvider.Options.DEFAULT,
                        msg -> System.err.println("skci: " + msg));
        List<CiReports.TraceError> errors = new ArrayList<>();
        String current = null;
        try (Session session = Session.open(chosen, clusterSpec, keepCluster)) {
            for (Planned p : planned) {
                current = p.trace().name();
                SimulationRun.Result r = new SimulationRun(session.cluster(), options, SimulationRun.Hooks.NONE)
                        .run(p.trace(), p.plan(), deadline);
                results.add(r);
                current = null;
                RunSummary.print(out, r);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (SkciException e) {
            failure = e; // reported below, after the CI reports are written
            errors.add(new CiReports.TraceError(current != null ? current : "(cluster)", e.getMessage()));
        } finally {
            watchdog.interrupt();
        }
        if (results.size() > 1 || interrupted) {
            RunSummary.table(out, results);
        }
        ExitCode code = exitCode(results, interrupted, deadlinePassed.get(), failure);
        CiReports.write(reportDir, results, errors, code.code(), System.getenv(), System.out);
        if (json) {
            Json.print(spec.commandLine().getOut(), CiReports.summary(results, errors, code.code()));
        }
        out.flush();
        if (failure != null && code == ExitCode.of(failure.kind())) {
            throw failure; // printed as one line by SkciCommand, with this exit code
        }
        return code.code();
    }

    /** Signals first, then the deadline, then an environment or input failure, then the verdicts. */
    private static ExitCode exitCode(List<SimulationRun.Result> results, boolean interrupted, boolean deadlinePassed,
            SkciException failure) {
        if (Signals.received() != null) {
            return Signals.received().equals("INT") ? ExitCode.INTERRUPTED : ExitCode.TERMINATED;
        }
        if (deadlinePassed || interrupted) {
            return ExitCode.DEADLINE;
        }
        if (failure != null) {
            return ExitCode.of(failure.kind());
        }
        return results.stream().allMatch(r -> r.verdict().passed()) ? ExitCode.PASSED : ExitCode.FAILED;
    }

    private record Planned(TraceFile trace, ReplayPlan plan) {}

    /**
     * Reads and validates every trace before any cluster work. Invalid ones end the run with exit 2, after
     * the reports name each of them.
     */
    private List<Planned> readAndValidate() throws java.io.IOException {
        List<Planned> out = new ArrayList<>();
        List<CiReports.TraceError> invalid = new ArrayList<>();
        SkciException first = null;
        for (Path p : ValidateCommand.expand(traces)) {
            try {
                TraceFile f = TraceFile.open(p);
                ValidationReport report = Validator.validate(f);
                if (report.hasErrors()) {
                    report.lines().stream().filter(l -> l.startsWith("error")).forEach(System.err::println);
                    throw SkciException.invalidInput(p + ": the trace is invalid (" + report.errorCount()
                            + " error(s) above); fix it, then run again; 'skci validate " + p + "' lists every finding");
                }
                out.add(new Planned(f, ReplayPlan.scan(f, Optional.ofNullable(duration))));
            } catch (SkciException e) {
                invalid.add(new CiReports.TraceError(p.toString(), e.getMessage()));
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            CiReports.write(reportDir, List.of(), invalid, ExitCode.INVALID_INPUT.code(), System.getenv(), System.out);
            throw first;
        }
        return out;
    }
}
