package dev.skci.cli;

import dev.skci.ExitCode;
import dev.skci.SkciException;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterSpec;
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
            "Exit codes: 0 passed, 1 a simulation failed, 2 invalid input, 3 environment, 4 deadline,",
            "130/143 interrupted by SIGINT/SIGTERM (after cleanup)."
        })
final class RunCommand implements Callable<Integer> {
    /** The help section listing every readiness gate, generated from {@link GateCatalog}. */
    static final String GATES_SECTION = "gates";

    @Parameters(arity = "1..*", paramLabel = "TRACE", description = "Trace files (.sktrace) or directories holding them.")
    List<Path> traces;

    @Mixin
    ClusterTarget cluster;

    @Mixin
    NodeOptions nodes;

    @Option(names = "--speed", defaultValue = "1", converter = SpeedConverter.class,
            description = "Replay speed factor (any positive number, or 'max'). Default: ${DEFAULT-VALUE}.")
    double speed;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "Replay only this much trace time from the first event (e.g. 5m); later events are dropped and the run lasts until then.")
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
        // Bad flags fail before the traces are read, and the traces before any cluster work.
        SimulationRun.CertSource certSource = certSource();
        Map<String, Duration> gateTimeouts = gateTimeouts();
        ClusterSpec clusterSpec = nodes.spec(cluster.checkedName());
        ClusterProvider provider = cluster.provider(spec.commandLine().getErr());
        List<Job.Planned> planned = readAndValidate();

        SimulationRun.Options options = new SimulationRun.Options(speed, namespacePrefix, setupTimeout, cleanupTimeout,
                Duration.ofSeconds(2), certSource, gateTimeouts, reportDir, System.err);
        Job.Outcome outcome = Job.run(planned, new Job.Settings(provider, clusterSpec, keepCluster, timeout, reportDir,
                System.getenv(), out, System.out, System.err), Job.simulations(options));
        if (json) {
            Json.print(spec.commandLine().getOut(), CiReports.summary(outcome.results(), outcome.errors(), outcome.exitCode().code()));
        }
        out.flush();
        if (outcome.failure().isPresent()) {
            throw outcome.failure().get(); // printed as one line by SkciCommand, with this exit code
        }
        return outcome.exitCode().code();
    }

    /**
     * Reads and validates every trace before any cluster work. Invalid ones end the run with exit 2, after
     * the reports name each of them.
     */
    private List<Job.Planned> readAndValidate() throws java.io.IOException {
        List<Job.Planned> out = new ArrayList<>();
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
                out.add(new Job.Planned(f, ReplayPlan.scan(f, Optional.ofNullable(duration))));
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
