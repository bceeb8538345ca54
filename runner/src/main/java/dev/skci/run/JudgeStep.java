package dev.skci.run;

import dev.skci.verdict.Evidence;
import dev.skci.verdict.Judge;
import dev.skci.observe.Metrics;
import dev.skci.observe.MetricsBuilder;
import dev.skci.autoscaler.KarpenterBinaries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers the evidence (the observer's violations, the webhook's denials, controllers' FailedCreate
 * events), builds the metrics, and judges them; cleanup's own check is added once it ran.
 */
final class JudgeStep implements Step<Simulation> {
    @Override
    public String id() {
        return "judge";
    }

    @Override
    public String description() {
        return "the verdict: harness invariants, fidelity and expectations over the observed metrics";
    }

    @Override
    public void run(Simulation s, Teardowns teardowns) {
        s.evidence = evidence(s);
        s.metrics = metrics(s);
        s.verdict = Judge.of(s.evidence, s.metrics, s.options.rules(), s.options.baseline(), Optional.empty());
    }

    static Metrics metrics(Simulation s) {
        return MetricsBuilder.build(new MetricsBuilder.Inputs(s.observer.pods(), s.observer.nodes(), s.observer.eventsByReason(),
                s.desired.changes(), s.desired::shapeOf, s.plan.startTs(), s.plan.spanSeconds(), s.options.speed(),
                s.clock.startedAt() != null ? s.clock.startedAt() : java.time.Instant.now(), java.time.Instant.now()));
    }

    /** Which traced objects the overrides patched, and by which overrides. */
    static Map<String, List<String>> overridden(Simulation s) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (var use : s.overrides.uses()) {
            use.objects().keySet().stream().sorted().forEach(o -> out.computeIfAbsent(o, k -> new ArrayList<>()).add(use.override()));
        }
        return out;
    }

    static Evidence evidence(Simulation s) {
        long denied = s.mutator.stats().denied();
        Optional<String> firstDenied = s.server.requests().entries().stream().filter(e -> e.decision().equals("denied"))
                .map(e -> e.pod() + ": " + e.reason()).findFirst();
        long failedCreates = s.observer.eventsByReason().getOrDefault("FailedCreate", 0L);
        Optional<String> firstFailedCreate = s.observer.firstEvent("FailedCreate");
        return new Evidence(s.server.running(),
                new Evidence.Counted(s.stats.failureCount(), s.stats.failures().stream().findFirst()),
                s.observer.violations(),
                new Evidence.Counted(denied, denied > 0 ? Optional.of(firstDenied.orElse("")) : Optional.empty()),
                new Evidence.Counted(failedCreates, firstFailedCreate), overridden(s), autoscaler(s));
    }

    /** What Karpenter did, while its objects still exist (the judge runs before the teardowns). */
    static Optional<Evidence.Autoscaler> autoscaler(Simulation s) {
        if (s.karpenter == null) {
            return Optional.empty();
        }
        var k = s.karpenter;
        var made = k.nodes();
        Optional<Instant> firstPending = s.observer.pods().stream().map(p -> p.unschedulableSince()).filter(java.util.Objects::nonNull)
                .min(Comparator.naturalOrder());
        Optional<Duration> first = firstPending.flatMap(p -> k.firstNodeReady().map(r -> Duration.between(p, r)))
                .filter(d -> !d.isNegative());
        List<String> explanation;
        try {
            explanation = k.explain(s.virtualNamespaces);
        } catch (RuntimeException e) {
            explanation = List.of("(could not read Karpenter's events and NodePools: " + e.getMessage() + ")");
        }
        return Optional.of(new Evidence.Autoscaler("Karpenter " + KarpenterBinaries.pinned().version(), s.options.speed(),
                k.plan().added(), k.plan().scaled(), k.plan().unfaithful(), made.size(),
                made.stream().filter(n -> !n.virtual()).map(n -> n.name() + " (lacks " + n.lacks() + ")").toList(), first, explanation));
    }
}
