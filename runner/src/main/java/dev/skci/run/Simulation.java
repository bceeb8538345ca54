package dev.skci.run;

import dev.skci.autoscaler.Karpenter;
import dev.skci.certs.ServingCertificate;
import dev.skci.cluster.Cluster;
import dev.skci.observe.Metrics;
import dev.skci.observe.Observer;
import dev.skci.replay.Desired;
import dev.skci.replay.ReplayClock;
import dev.skci.verdict.Evidence;
import dev.skci.readiness.GateContext;
import dev.skci.readiness.Gates;
import dev.skci.replay.ApiResources;
import dev.skci.replay.LatenessRecorder;
import dev.skci.replay.ReplayPlan;
import dev.skci.replay.ReplayStats;
import dev.skci.result.CleanupReport;
import dev.skci.sim.ReplayedObjects;
import dev.skci.sim.RunIdentity;
import dev.skci.sim.VirtualNamespaces;
import dev.skci.trace.codec.TraceFile;
import dev.skci.verdict.Verdict;
import dev.skci.wait.Deadline;
import dev.skci.webhook.AdmissionServer;
import dev.skci.webhook.ClusterOwnerLookup;
import dev.skci.webhook.PodMutator;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.skci.override.Overrides;
import dev.skci.setup.SetupApplier;
import dev.skci.trace.TrackedKinds;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The state of one simulation as its steps ({@link SimulationSteps}) build it up. What is given is final;
 * every other field is set by exactly one step, named on the field, and is null until then. Gates see
 * it through the read-only {@link GateContext}.
 */
final class Simulation implements GateContext {
    // Given.
    final Cluster cluster;
    final KubernetesClient client;
    final TraceFile trace;
    final ReplayPlan plan;
    final SimulationRun.Options options;
    final SimulationRun.Hooks hooks;
    final Deadline deadline;
    final String runName;
    final VirtualNamespaces namespaces;
    /** The run's virtual namespaces, one per trace namespace and per namespace only the setup names. */
    final List<String> virtualNamespaces;
    /** The pull request's version of traced objects, applied by the replay; counts what it patched. */
    final Overrides overrides;
    /** {@link SetupStep}: what it created, as it goes (cleanup verifies that the cluster-scoped ones are gone). */
    final List<SetupApplier.Applied> setup = new CopyOnWriteArrayList<>();
    final Gates gates;
    final ReplayedObjects registry = new ReplayedObjects();
    final ReplayStats stats = new ReplayStats();
    final LatenessRecorder lateness = new LatenessRecorder();
    final Desired desired = new Desired();
    /** Trace time: started by the replay, read by the metrics. */
    final ReplayClock clock;

    /** {@link ClusterShapeStep}: what the virtual nodes were made. */
    dev.skci.cluster.Bootstrap.Reconciled nodes;
    /** {@link DiscoverKindsStep}; again by {@link SetupStep} when setup CRDs define traced kinds. */
    ApiResources resources;
    /** {@link AutoscalerStep}, when the simulation has Karpenter in the loop. */
    Karpenter karpenter;
    /** {@link RootStep}. */
    RunIdentity identity;
    /** {@link RootStep}'s teardown. */
    CleanupReport cleanup;
    /** {@link CertificateStep}. */
    ServingCertificate certificate;
    /** {@link WebhookStep}. */
    AdmissionServer server;
    /** {@link WebhookStep}. */
    PodMutator mutator;
    /** {@link WebhookStep}. */
    ClusterOwnerLookup owners;
    /** {@link ObserveStep}. */
    Observer observer;
    /** {@link JudgeStep}. */
    Evidence evidence;
    /** {@link JudgeStep}. */
    Metrics metrics;
    /** {@link JudgeStep}: before cleanup; the final verdict adds cleanup's check. */
    Verdict verdict;

    Simulation(Cluster cluster, TraceFile trace, ReplayPlan plan, SimulationRun.Options options, SimulationRun.Hooks hooks,
            Deadline deadline, String runName) {
        this.cluster = cluster;
        this.client = cluster.client();
        this.trace = trace;
        this.plan = plan;
        this.options = options;
        this.hooks = hooks;
        this.deadline = deadline;
        this.runName = runName;
        this.namespaces = new VirtualNamespaces(options.namespacePrefix());
        Set<String> all = new LinkedHashSet<>(plan.namespaces());
        all.addAll(options.changes().setup().namespaces());
        all.forEach(namespaces::check);
        this.virtualNamespaces = all.stream().map(namespaces::virtualName).toList();
        this.overrides = new Overrides(options.changes().overrides(), TrackedKinds.normalize(trace.config()));
        this.gates = new Gates(options.gateTimeouts(), options.console());
        this.clock = new ReplayClock(plan.startTs(), options.speed());
    }

    /** The owner reference every object of the run carries (its SimulationRoot). */
    OwnerReference rootRef() {
        return identity.ownerReferenceModel();
    }

    @Override
    public Cluster cluster() {
        return cluster;
    }

    @Override
    public String runName() {
        return runName;
    }

    @Override
    public boolean certManagerIssues() {
        return options.certSource() == SimulationRun.CertSource.CERT_MANAGER;
    }

    @Override
    public Optional<ServingCertificate> certificate() {
        return Optional.ofNullable(certificate);
    }

    @Override
    public Optional<AdmissionServer> webhookServer() {
        return Optional.ofNullable(server);
    }

    @Override
    public boolean autoscaled() {
        return options.karpenter().isPresent();
    }

    @Override
    public Optional<Karpenter> karpenter() {
        return Optional.ofNullable(karpenter);
    }

    @Override
    public String probeNamespace() {
        return virtualNamespaces.getFirst();
    }
}
