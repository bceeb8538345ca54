package dev.skci.run;

import dev.skci.Deadline;
import dev.skci.SkciException;
import dev.skci.cluster.Cluster;
import dev.skci.cluster.SimNames;
import dev.skci.observe.PodObserver;
import dev.skci.observe.PodRecord;
import dev.skci.observe.Violation;
import dev.skci.readiness.ClusterGates;
import dev.skci.readiness.GateResult;
import dev.skci.readiness.Gates;
import dev.skci.readiness.WebhookGates;
import dev.skci.replay.ApiResources;
import dev.skci.replay.Applier;
import dev.skci.replay.CompletionPinner;
import dev.skci.replay.CronJobs;
import dev.skci.replay.LatenessRecorder;
import dev.skci.replay.LifecycleResolver;
import dev.skci.replay.ObjectTransformer;
import dev.skci.replay.ReplayClock;
import dev.skci.replay.ReplayPlan;
import dev.skci.replay.ReplayStats;
import dev.skci.replay.ReplayedObjects;
import dev.skci.replay.Replayer;
import dev.skci.replay.RunIdentity;
import dev.skci.replay.VirtualNamespaces;
import dev.skci.report.Diagnostics;
import dev.skci.trace.Gvk;
import dev.skci.trace.TrackedKinds;
import dev.skci.trace.codec.TraceFile;
import dev.skci.verdict.Verdict;
import dev.skci.webhook.AdmissionServer;
import dev.skci.webhook.ClusterOwnerLookup;
import dev.skci.webhook.PodMutator;
import dev.skci.webhook.RequestLog;
import dev.skci.webhook.WebhookRegistration;
import dev.skci.webhook.tls.CertManagerCertificates;
import dev.skci.webhook.tls.KeyMaterial;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulation of one trace on a booted cluster, in this order: readiness gates about the cluster;
 * root, namespaces and the serving certificate; the webhook and its registration; gates proving the
 * caBundle, the served certificate and, end to end, that a dry-run pod comes back mutated; replay;
 * verdict. A failure at any point leaves a diagnostics bundle (collected before cleanup), and cleanup
 * runs whatever happened, including an interrupt.
 */
public final class SimulationRun {
    private static final Logger log = LoggerFactory.getLogger(SimulationRun.class);

    /** Where the webhook's serving certificate comes from ({@code --webhook-cert}). */
    public enum CertSource { CERT_MANAGER, SELF_SIGNED }

    /** How to run; see {@code skci run --help}. */
    public record Options(double speed, Optional<Duration> duration, String namespacePrefix, Duration setupTimeout,
            Duration cleanupTimeout, Duration settle, CertSource certSource, Map<String, Duration> gateTimeouts,
            Duration defaultGateTimeout, Path reportDir, PrintStream console) {

        public static Options defaults() {
            return new Options(1.0, Optional.empty(), VirtualNamespaces.DEFAULT_PREFIX, Duration.ofSeconds(60),
                    Duration.ofSeconds(120), Duration.ofSeconds(2), CertSource.CERT_MANAGER, Map.of(),
                    Gates.DEFAULT_TIMEOUT, Path.of("skci-reports"), System.err);
        }

        public Options withSpeed(double s) {
            return new Options(s, duration, namespacePrefix, setupTimeout, cleanupTimeout, settle, certSource, gateTimeouts,
                    defaultGateTimeout, reportDir, console);
        }

        public Options withNamespacePrefix(String p) {
            return new Options(speed, duration, p, setupTimeout, cleanupTimeout, settle, certSource, gateTimeouts,
                    defaultGateTimeout, reportDir, console);
        }

        public Options withConsole(PrintStream c) {
            return new Options(speed, duration, namespacePrefix, setupTimeout, cleanupTimeout, settle, certSource, gateTimeouts,
                    defaultGateTimeout, reportDir, c);
        }

        public Options withReportDir(Path p) {
            return new Options(speed, duration, namespacePrefix, setupTimeout, cleanupTimeout, settle, certSource, gateTimeouts,
                    defaultGateTimeout, p, console);
        }
    }

    /** What happened; {@link #verdict} decides the exit code. */
    public record Result(String trace, String runName, Verdict verdict, ReplayStats replay, long mutated,
            long lifecyclesCompleting, long lifecyclesRunning, long denied, Map<String, Integer> podsByPhase,
            LatenessRecorder lateness, Duration wall, Cleanup.Result cleanup, List<RequestLog.Entry> requests,
            List<PodRecord> pods, List<GateResult> gates, Optional<Path> diagnostics) {}

    /** Hooks tests use to break things on purpose at a given moment (the postmortem as tests). */
    public interface Hooks {
        Hooks NONE = new Hooks() {};

        /** Called once the webhook is serving and registered, before the gates that prove it. */
        default void webhookRegistered(KubernetesClient client, String runName, AdmissionServer server) {}

        /** Called after every gate passed, right before replay starts. */
        default void replayStarting(KubernetesClient client, String runName, AdmissionServer server) {}
    }

    private final Cluster cluster;
    private final Options options;
    private final Hooks hooks;

    public SimulationRun(Cluster cluster, Options options, Hooks hooks) {
        this.cluster = cluster;
        this.options = options;
        this.hooks = hooks;
    }

    public Result run(TraceFile trace, ReplayPlan plan, Deadline deadline) throws InterruptedException {
        long started = System.nanoTime();
        KubernetesClient client = cluster.client();
        VirtualNamespaces namespaces = new VirtualNamespaces(options.namespacePrefix());
        plan.namespaces().forEach(namespaces::check);
        Gates gates = new Gates(options.gateTimeouts(), options.defaultGateTimeout(), options.console());

        ClusterGates clusterGates = new ClusterGates(cluster);
        gates.pass(clusterGates.apiServer());
        ApiResources resources = ApiResources.discover(client, kindsUsed(plan)); // a missing CRD fails before any change
        gates.pass(clusterGates.kwok());
        gates.pass(clusterGates.virtualNodes());
        boolean certManager = options.certSource() == CertSource.CERT_MANAGER;
        if (certManager) {
            if (!CertManagerCertificates.installed(client)) {
                throw SkciException.environment("cert-manager is not installed in this cluster (no certificates.cert-manager.io "
                        + "CRD); install it, or pass --webhook-cert self-signed to use skci's own CA");
            }
            gates.pass(clusterGates.certManager());
        } else {
            gates.skip(clusterGates.certManager(), "skci's own CA was chosen (--webhook-cert self-signed)");
        }

        SimulationRoots.ensureCrd(client, options.setupTimeout());
        StaleRuns.reap(client, options.cleanupTimeout(), options.console());
        String runName = RunIdentity.newName();
        RunIdentity run = SimulationRoots.create(client, runName);
        var heartbeat = StaleRuns.heartbeat(client, runName);
        OwnerReference root = rootRef(run);
        log.info("run {}: replaying {} ({} events, {} s of trace at speed {})", runName, trace.name(), plan.events(),
                plan.spanSeconds(), options.speed());

        List<String> vns = plan.namespaces().stream().map(namespaces::virtualName).toList();
        ReplayStats stats = new ReplayStats();
        LatenessRecorder lateness = new LatenessRecorder();
        ReplayedObjects registry = new ReplayedObjects();
        WebhookGates webhookGates = new WebhookGates(cluster, runName);
        ServingCertificate cert = certManager
                ? new ServingCertificate.FromCertManager(new CertManagerCertificates(client, runName, cluster.webhookHost()))
                : new ServingCertificate.FromRunCa(runName, cluster.webhookHost());
        AdmissionServer server = null;
        PodMutator mutator = null;
        PodObserver observer = null;
        ClusterOwnerLookup owners = null;
        List<String> reasons = new ArrayList<>();
        Optional<Path> diagnostics = Optional.empty();
        Cleanup.Result cleanup;
        Throwable failure = null;
        try {
            createNamespace(client, run, runName, false); // holds the certificate objects
            for (String ns : vns) {
                createNamespace(client, run, ns, true);
            }
            awaitDefaultServiceAccounts(client, vns);

            KeyMaterial material = cert.issue(gates, webhookGates, root);
            owners = new ClusterOwnerLookup(client, vns);
            mutator = new PodMutator(new PodMutator.Context(runName, namespaces, Set.copyOf(vns), plan.startTs()),
                    registry, owners, new LifecycleResolver(trace.lifecycles(), plan.startTs(), options.speed()));
            server = startWebhook(material, mutator);
            cert.follow(server);
            client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(WebhookRegistration.build(
                    runName, server.url(), cert.registeredCaBundle(), options.namespacePrefix(), root, cert.injectCaFrom()))
                    .create();
            hooks.webhookRegistered(client, runName, server);
            gates.pass(webhookGates.caBundle(cert::expectedCaPem, certManager));
            gates.pass(webhookGates.serving(server, cert::expectedServing));
            owners.start(options.setupTimeout());
            observer = new PodObserver(client, runName, vns);
            observer.onPodChange(new CompletionPinner(client));
            observer.start(options.setupTimeout());
            gates.pass(webhookGates.probe(vns.get(0)));
            options.console().printf("skci: all gates passed in %.1fs; replaying%n", gates.total().toMillis() / 1000.0);
            hooks.replayStarting(client, runName, server);

            ReplayClock clock = new ReplayClock(plan.startTs(), options.speed());
            Applier applier = new Applier(client, resources, deadline);
            new Replayer(trace, plan, new ObjectTransformer(run, namespaces, TrackedKinds.normalize(trace.config())),
                    applier, registry, clock, namespaces, stats, lateness).run();
            Thread.sleep(options.settle().toMillis());
            reasons.addAll(judge(client, vns, stats, observer, mutator, server));
        } catch (InterruptedException | RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            if (failure != null || !reasons.isEmpty()) {
                List<String> problems = new ArrayList<>(reasons);
                if (failure != null) {
                    problems.add(0, failure instanceof InterruptedException ? "interrupted" : String.valueOf(failure.getMessage()));
                }
                diagnostics = writeDiagnostics(new Diagnostics.Scope(runName, vns, runName, gates.results(), problems,
                        server == null ? List.of() : server.requests().entries()));
            }
            if (observer != null) {
                observer.close();
            }
            if (owners != null) {
                owners.close();
            }
            cert.close();
            heartbeat.shutdownNow();
            // The webhook configuration goes first, while the server still answers (Cleanup's order).
            cleanup = Cleanup.run(client, runName, options.cleanupTimeout());
            if (server != null) {
                server.close();
            }
        }
        if (!cleanup.complete()) {
            reasons.add("cleanup did not finish: " + String.join("; ", cleanup.leftovers()));
        }
        return new Result(trace.name(), runName, Verdict.of(reasons), stats,
                mutator.stats().mutated(), mutator.stats().completes(), mutator.stats().runsUntilDeleted(),
                mutator.stats().denied(), observer.byFinalPhase(), lateness, Duration.ofNanos(System.nanoTime() - started),
                cleanup, server.requests().entries(), observer.pods(), gates.results(), diagnostics);
    }

    private Optional<Path> writeDiagnostics(Diagnostics.Scope scope) {
        try {
            Path p = Diagnostics.write(options.reportDir(), cluster, scope);
            options.console().println("skci: diagnostics written to " + p);
            return Optional.of(p);
        } catch (IOException | RuntimeException e) {
            options.console().println("skci: could not write diagnostics: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The kinds the replay touches; time-warped CronJobs make skci create Jobs itself. */
    private static Set<Gvk> kindsUsed(ReplayPlan plan) {
        Set<Gvk> kinds = new LinkedHashSet<>(plan.kinds());
        if (kinds.contains(CronJobs.CRONJOB)) {
            kinds.add(CronJobs.JOB);
        }
        return kinds;
    }

    private static OwnerReference rootRef(RunIdentity run) {
        return new OwnerReferenceBuilder().withApiVersion(SimNames.ROOT_API_VERSION).withKind(SimNames.ROOT_KIND)
                .withName(run.name()).withUid(run.rootUid()).withBlockOwnerDeletion(true).build();
    }

    private void createNamespace(KubernetesClient client, RunIdentity run, String name, boolean virtual) {
        var existing = client.namespaces().withName(name).get();
        if (existing != null) {
            String owner = existing.getMetadata().getLabels() == null ? null
                    : existing.getMetadata().getLabels().get(SimNames.LABEL_SIMULATION);
            throw SkciException.environment("namespace " + name + " already exists"
                    + (owner != null ? " (left by run " + owner + ")" : "")
                    + "; delete it, or give this run another --namespace-prefix");
        }
        Map<String, String> labels = virtual
                ? Map.of(SimNames.LABEL_VIRTUAL, "true", SimNames.LABEL_SIMULATION, run.name())
                : Map.of(SimNames.LABEL_SIMULATION, run.name());
        client.namespaces().resource(new NamespaceBuilder()
                .withNewMetadata().withName(name).withLabels(labels).withOwnerReferences(rootRef(run)).endMetadata()
                .build()).create();
    }

    /** The ServiceAccount admission plugin refuses pods until a namespace's default SA exists. */
    private void awaitDefaultServiceAccounts(KubernetesClient client, List<String> vns) {
        for (String name : vns) {
            try {
                client.serviceAccounts().inNamespace(name).withName("default")
                        .waitUntilCondition(sa -> sa != null, options.setupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (KubernetesClientException e) {
                throw SkciException.environment("namespace " + name + " got no default ServiceAccount within "
                        + options.setupTimeout().toSeconds() + " s; is kube-controller-manager running?");
            }
        }
    }

    private AdmissionServer startWebhook(KeyMaterial material, PodMutator mutator) {
        try {
            return AdmissionServer.start(cluster.webhookHost(), 0, material, mutator);
        } catch (IOException e) {
            throw SkciException.environment("cannot start the webhook server on " + cluster.webhookHost() + ": " + e.getMessage(), e);
        }
    }

    /** Everything that makes the simulation a failure, found after the replay. */
    private static List<String> judge(KubernetesClient client, List<String> vns, ReplayStats stats, PodObserver observer,
            PodMutator mutator, AdmissionServer server) {
        List<String> reasons = new ArrayList<>();
        if (!server.running()) {
            reasons.add("the webhook server stopped during the run; pod creations were refused (fail closed)");
        }
        if (stats.failureCount() > 0) {
            reasons.add(stats.failureCount() + " replay operation(s) failed; first: " + stats.failures().get(0));
        }
        for (Violation v : observer.violations()) {
            reasons.add(v.toString());
        }
        if (mutator.stats().denied() > 0) {
            String first = server.requests().entries().stream().filter(e -> e.decision().equals("denied"))
                    .map(e -> e.pod() + ": " + e.reason()).findFirst().orElse("");
            reasons.add("the webhook denied " + mutator.stats().denied() + " pod(s); first: " + first);
        }
        int failedCreates = 0;
        String firstFailedCreate = null;
        for (String ns : vns) {
            for (Event e : client.v1().events().inNamespace(ns).list().getItems()) {
                if ("FailedCreate".equals(e.getReason())) {
                    failedCreates += e.getCount() == null ? 1 : e.getCount();
                    if (firstFailedCreate == null) {
                        firstFailedCreate = e.getInvolvedObject().getKind() + " " + ns + "/" + e.getInvolvedObject().getName()
                                + ": " + e.getMessage();
                    }
                }
            }
        }
        if (failedCreates > 0) {
            reasons.add("controllers failed to create pods " + failedCreates + " time(s); first: " + firstFailedCreate);
        }
        return reasons;
    }
}
