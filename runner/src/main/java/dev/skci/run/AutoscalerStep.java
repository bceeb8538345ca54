package dev.skci.run;

import dev.skci.autoscaler.Karpenter;
import dev.skci.autoscaler.KarpenterBinaries;
import dev.skci.autoscaler.KarpenterPlan;
import dev.skci.autoscaler.KarpenterSpec;

/**
 * Karpenter in the loop ({@code cluster.autoscaler.karpenter}; docs/karpenter.md): on a clean slate (whatever an earlier
 * simulation or a crashed run left is removed first), its CRDs, the user's NodePools and node classes with skci's markers
 * and the durations scaled to the speed, then the controller as a host process. It runs before the root, so its teardown
 * runs after the run's cleanup: the pods are gone before their nodes are. Says on the console what it added and what
 * cannot follow the speed; the verdict reports both.
 */
final class AutoscalerStep implements Step<Simulation> {
    @Override
    public String id() {
        return "autoscaler";
    }

    @Override
    public String description() {
        return "Karpenter, when configured: leftovers removed, CRDs, the NodePools with skci's markers, the controller started";
    }

    @Override
    public void run(Simulation s, Teardowns teardowns) {
        if (s.options.karpenter().isEmpty()) {
            // A simulation without Karpenter must not inherit the nodes of one with it that crashed before its teardown.
            if (s.cluster.hostComponents().isPresent() && Karpenter.installed(s.client)) {
                Karpenter.stop(s.cluster, s.options.cleanupTimeout());
            }
            return;
        }
        KarpenterSpec spec = s.options.karpenter().get();
        KarpenterPlan plan = KarpenterPlan.of(spec, s.options.speed());
        var console = s.options.console();
        plan.added().forEach(a -> console.println("skci: Karpenter: skci added to " + a));
        plan.scaled().forEach(a -> console.println("skci: Karpenter: scaled to the speed: " + a));
        plan.unfaithful().forEach(a -> console.println("skci: warning: Karpenter: " + a));
        // Pushed before starting: a start that fails halfway leaves objects and maybe a process, and this removes both.
        teardowns.push("autoscaler", () -> {
            if (s.karpenter != null) {
                s.karpenter.closeWatch();
            }
            Karpenter.stop(s.cluster, s.options.cleanupTimeout());
        });
        s.karpenter = Karpenter.start(s.cluster, KarpenterBinaries.pinned(), spec, plan, s.options.setupTimeout());
        console.println("skci: Karpenter " + KarpenterBinaries.pinned().version() + " started with " + plan.nodePools().size()
                + " NodePool(s) (log: " + s.karpenter.log() + ")");
    }
}
