package dev.skci.verdict;

import dev.skci.observe.Violation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the run observed that the verdict is built on, gathered by the run before judging so that
 * judging itself needs no cluster.
 *
 * @param webhookServing whether the webhook server was still up at the end
 * @param replayFailures failed replay operations, and the first of them verbatim
 * @param violations invariants the observer saw broken as events arrived
 * @param denied pods the webhook denied, and the first of them ("ns/pod: reason")
 * @param failedCreates FailedCreate events of controllers (counted), and the first ("Kind ns/name: message")
 * @param overridden the traced objects the overrides patched ({@code Deployment shop/web}) and which overrides did
 * @param autoscaler what the autoscaler did and said, when one was in the loop
 */
public record Evidence(boolean webhookServing, Counted replayFailures, List<Violation> violations, Counted denied,
        Counted failedCreates, Map<String, List<String>> overridden, Optional<Autoscaler> autoscaler) {

    public Evidence(boolean webhookServing, Counted replayFailures, List<Violation> violations, Counted denied, Counted failedCreates) {
        this(webhookServing, replayFailures, violations, denied, failedCreates, Map.of(), Optional.empty());
    }

    /** Without an autoscaler. */
    public Evidence(boolean webhookServing, Counted replayFailures, List<Violation> violations, Counted denied, Counted failedCreates,
            Map<String, List<String>> overridden) {
        this(webhookServing, replayFailures, violations, denied, failedCreates, overridden, Optional.empty());
    }

    /** Without overrides. */
    public Evidence(boolean webhookServing, Counted replayFailures, List<Violation> violations, Counted denied, Counted failedCreates,
            Optional<Autoscaler> autoscaler) {
        this(webhookServing, replayFailures, violations, denied, failedCreates, Map.of(), autoscaler);
    }

    /** How often something happened, and the first occurrence, verbatim. */
    public record Counted(long count, Optional<String> first) {
        public static final Counted NONE = new Counted(0, Optional.empty());
    }

    /**
     * What the autoscaler did and said, when one was in the loop (docs/karpenter.md).
     *
     * @param name {@code Karpenter v1.15.0}
     * @param speed the replay speed its timers were scaled to
     * @param added what skci added to the user's NodePools and node classes, one line each
     * @param scaled the durations divided by the speed, one line each
     * @param unfaithful what cannot follow the speed, one line each
     * @param nodesMade how many nodes it made during the simulation
     * @param notVirtual nodes it made without skci's virtual-node markers, each with what it lacks
     * @param firstNodeReady wall time from the first pod reported Unschedulable to the first node it made being Ready
     * @param explanation why it did not give pods a node: its events and the NodePools' limits, one line each
     */
    public record Autoscaler(String name, double speed, List<String> added, List<String> scaled, List<String> unfaithful,
            long nodesMade, List<String> notVirtual, Optional<Duration> firstNodeReady, List<String> explanation) {
        public Autoscaler {
            added = List.copyOf(added);
            scaled = List.copyOf(scaled);
            unfaithful = List.copyOf(unfaithful);
            notVirtual = List.copyOf(notVirtual);
            explanation = List.copyOf(explanation);
        }
    }

    public Evidence {
        violations = List.copyOf(violations);
        overridden = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(overridden)); // in the reports' order
        java.util.Objects.requireNonNull(autoscaler);
    }
}
