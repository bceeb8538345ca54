package dev.skci.run;

import dev.skci.readiness.Gate;
import java.util.List;

/**
 * The steps of one simulation, in order: the one declaration of what a run does (docs/architecture.md
 * is checked against it). Each step pushes the undo of what it creates, so a failure at any step tears
 * down exactly what exists, in reverse.
 */
final class SimulationSteps {
    static final List<Step<Simulation>> ALL = List.of(
            new ClusterShapeStep(),
            new GatesStep(Gate.Phase.CLUSTER),
            new DiscoverKindsStep(),
            new AutoscalerStep(),
            new RootStep(),
            new NamespacesStep(),
            new CertificateStep(),
            new GatesStep(Gate.Phase.CERTIFICATE),
            new WebhookStep(),
            new GatesStep(Gate.Phase.WEBHOOK),
            new ObserveStep(),
            new GatesStep(Gate.Phase.AUTOSCALER),
            new GatesStep(Gate.Phase.PROBE),
            new SetupStep(),
            new ReplayStep(),
            new JudgeStep());

    private SimulationSteps() {}
}
