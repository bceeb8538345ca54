package dev.skci.run;

import dev.skci.Deadline;
import dev.skci.SkciException;
import dev.skci.cluster.Cluster;
import dev.skci.cluster.SimNames;
import dev.skci.observe.PodObserver;
import dev.skci.observe.Violation;
import dev.skci.replay.ApiResources;
import dev.skci.replay.Applier;
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
import dev.skci.trace.TrackedKinds;
import dev.skci.trace.codec.TraceFile;
import dev.skci.verdict.Verdict;
import dev.skci.webhook.AdmissionServer;
import dev.skci.webhook.ClusterOwnerLookup;
import dev.skci.webhook.PodMutator;
import dev.skci.webhook.RequestLog;
import dev.skci.webhook.WebhookRegistration;
import dev.skci.webhook.tls.KeyMaterial;
import dev.skci.webhook.tls.RunCertificateAuthority;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulation of one trace on a booted cluster: root and virtual namespaces, the webhook and its
 * registration, proof that the webhook mutates (a dry-run canary), replay, verdict, and a cleanup that
 * runs whatever happened before it, including an interrupt.
 */
public final class SimulationRun {
    private static final Logger log = LoggerFactory.getLogger(SimulationRun.class);

    /** How to run; see {@code skci run --help}. */
    public record Options(double speed, Optional<Duration> duration, String namespacePrefix, Duration setupTimeout,
            Duration cleanupTimeout, Duration settle) {
        public static Options defaults() {
            return new Options(1.0, Optional.empty(), VirtualNamespaces.DEFAULT_PREFIX, Duration.ofSeconds(60),
                    Duration.ofSeconds(120), Duration.ofSeconds(2));
        }

        public Options withSpeed(double s) {
            return new Options(s, duration, namespacePrefix, setupTimeout, cleanupTimeout, settle);
        }
    }

    /** What happened; {@link #verdict} decides the exit code. */
    public record Result(String trace, String runName, Verdict verdict, ReplayStats replay, long mutated,
            long lifecyclesCompleting, long lifecyclesRunning, long denied, Map<String, Integer> podsByPhase,
            LatenessRecorder lateness, Duration wall, Cleanup.Result cleanup, List<RequestLog.Entry> requests,
            List<dev.skci.observe.PodRecord> pods) {}

    /** Hooks tests use to break things on purpose at a given moment (the postmortem as tests). */
    public interface Hooks {
        Hooks NONE = new Hooks() {};

        /** Called once the webhook is serving and registered, before replay starts. */
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
        // A missing CRD fails here, before any change. Time-warped CronJobs make skci create Jobs itself.
        java.util.Set<dev.skci.trace.Gvk> kindsUsed = new java.util.LinkedHashSet<>(plan.kinds());
        if (kindsUsed.contains(dev.skci.replay.CronJobs.CRONJOB)) {
            kindsUsed.add(dev.skci.replay.CronJobs.JOB);
        }
        ApiResources resources = ApiResources.discover(client, kindsUsed);
        TrackedKinds kinds = TrackedKinds.normalize(trace.config());

        SimulationRoots.ensureCrd(client, options.setupTimeout());
        String runName = RunIdentity.newName();
        RunIdentity run = SimulationRoots.create(client, runName);
        log.info("run {}: replaying {} ({} events, {} s of trace at speed {})", runName, trace.name(), plan.events(),
                plan.spanSeconds(), options.speed());

        List<String> vns = plan.namespaces().stream().map(namespaces::virtualName).toList();
        ReplayStats stats = new ReplayStats();
        LatenessRecorder lateness = new LatenessRecorder();
        ReplayedObjects registry = new ReplayedObjects();
        AdmissionServer server = null;
        PodMutator mutator = null;
        PodObserver observer = null;
        ClusterOwnerLookup owners = null;
        List<String> reasons = new ArrayList<>();
        Cleanup.Result cleanup;
        try {
            createNamespaces(client, run, vns, namespaces);
            owners = new ClusterOwnerLookup(client, vns);
            mutator = new PodMutator(new PodMutator.Context(runName, namespaces, java.util.Set.copyOf(vns), plan.startTs()),
                    registry, owners, new LifecycleResolver(trace.lifecycles(), plan.startTs(), options.speed()));
            server = startWebhook(runName, mutator);
            client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(WebhookRegistration.build(
                    runName, server.url(), server.material().caPem(), options.namespacePrefix(), rootRef(run),
                    Optional.empty())).create();
            owners.start(options.setupTimeout());
            observer = new PodObserver(client, runName, vns);
            observer.start(options.setupTimeout());
            WebhookProbe.awaitMutating(client, vns.get(0), Deadline.after(options.setupTimeout()));
            hooks.replayStarting(client, runName, server);

            ReplayClock clock = new ReplayClock(plan.startTs(), options.speed());
            Applier applier = new Applier(client, resources, deadline);
            new Replayer(trace, plan, new ObjectTransformer(run, namespaces, kinds), applier, registry, clock,
                    namespaces, stats, lateness).run();
            Thread.sleep(options.settle().toMillis());
            reasons.addAll(judge(client, vns, stats, observer, mutator, server));
        } finally {
            if (observer != null) {
                observer.close();
            }
            if (owners != null) {
                owners.close();
            }
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
                mutator == null ? 0 : mutator.stats().mutated(),
                mutator == null ? 0 : mutator.stats().completes(),
                mutator == null ? 0 : mutator.stats().runsUntilDeleted(),
                mutator == null ? 0 : mutator.stats().denied(),
                observer == null ? Map.of() : observer.byFinalPhase(), lateness,
                Duration.ofNanos(System.nanoTime() - started), cleanup,
                server == null ? List.of() : server.requests().entries(),
                observer == null ? List.of() : observer.pods());
    }

    private static OwnerReference rootRef(RunIdentity run) {
        return new OwnerReferenceBuilder().withApiVersion(SimNames.ROOT_API_VERSION).withKind(SimNames.ROOT_KIND)
                .withName(run.name()).withUid(run.rootUid()).withBlockOwnerDeletion(true).build();
    }

    private void createNamespaces(KubernetesClient client, RunIdentity run, List<String> vns, VirtualNamespaces namespaces) {
        for (String name : vns) {
            var existing = client.namespaces().withName(name).get();
            if (existing != null) {
                String owner = existing.getMetadata().getLabels() == null ? null
                        : existing.getMetadata().getLabels().get(SimNames.LABEL_SIMULATION);
                throw SkciException.environment("virtual namespace " + name + " already exists"
                        + (owner != null ? " (left by run " + owner + ")" : "")
                        + "; delete it, or give this run another --namespace-prefix");
            }
            client.namespaces().resource(new NamespaceBuilder()
                    .withNewMetadata()
                        .withName(name)
                        .withLabels(Map.of(SimNames.LABEL_VIRTUAL, "true", SimNames.LABEL_SIMULATION, run.name()))
                        .withOwnerReferences(rootRef(run))
                    .endMetadata().build()).create();
        }
        for (String name : vns) {
            // The ServiceAccount admission plugin refuses pods until the namespace's default SA exists.
            try {
                client.serviceAccounts().inNamespace(name).withName("default")
                        .waitUntilCondition(sa -> sa != null, options.setupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (KubernetesClientException e) {
                throw SkciException.environment("namespace " + name + " got no default ServiceAccount within "
                        + options.setupTimeout().toSeconds() + " s; is kube-controller-manager running?");
            }
        }
    }

    private AdmissionServer startWebhook(String runName, PodMutator mutator) {
        RunCertificateAuthority ca = RunCertificateAuthority.create(runName);
        KeyMaterial material = ca.issueServing(List.of(cluster.webhookHost()));
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
