package dev.skci.readiness;

import dev.skci.autoscaler.Karpenter;
import java.util.Optional;

/** Karpenter answers its readiness probe (caches synced, CRDs served) and every NodePool it was given is Ready. */
final class AutoscalerGate implements Gate {
    @Override
    public String id() {
        return "karpenter";
    }

    @Override
    public String description() {
        return "Karpenter is ready and every NodePool is Ready (only with cluster.autoscaler.karpenter)";
    }

    @Override
    public Phase phase() {
        return Phase.AUTOSCALER;
    }

    @Override
    public Optional<String> notApplicable(GateContext c) {
        return c.autoscaled() ? Optional.empty() : Optional.of("no autoscaler configured");
    }

    @Override
    public String check(GateContext c) {
        Karpenter k = c.karpenter().orElseThrow(() -> new IllegalStateException("the autoscaler step did not start Karpenter"));
        String ready = k.ready();
        return ready != null ? ready : k.nodePoolsReady();
    }

    @Override
    public String hint(GateContext c) {
        return c.karpenter().map(k -> "Karpenter's log " + k.log() + " and 'kubectl get nodepools -o yaml'")
                .orElse("Karpenter's log (karpenter.log with the cluster's logs)");
    }
}
