package dev.skci.verdict;

import dev.skci.observe.Violation;
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
 */
public record Evidence(boolean webhookServing, Counted replayFailures, List<Violation> violations, Counted denied,
        Counted failedCreates, Map<String, List<String>> overridden) {

    public Evidence(boolean webhookServing, Counted replayFailures, List<Violation> violations, Counted denied, Counted failedCreates) {
        this(webhookServing, replayFailures, violations, denied, failedCreates, Map.of());
    }

    /** How often something happened, and the first occurrence, verbatim. */
    public record Counted(long count, Optional<String> first) {
        public static final Counted NONE = new Counted(0, Optional.empty());
    }

    public Evidence {
        violations = List.copyOf(violations);
        overridden = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(overridden)); // in the reports' order
    }
}
