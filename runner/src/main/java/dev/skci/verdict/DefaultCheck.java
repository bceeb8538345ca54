package dev.skci.verdict;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The checks every simulation gets, by stable name: the one declaration behind the config's
 * {@code defaultExpectations} keys (each can be switched off there, with a reason), the schema, and the
 * table in docs/expectations.md (checked by a test).
 */
public enum DefaultCheck {
    WEBHOOK_KEPT_SERVING("webhook-kept-serving", Check.Kind.HARNESS, "the webhook server kept serving until the end"),
    REPLAY_APPLIED("replay-applied", Check.Kind.HARNESS, "the API server accepted every object the trace applied or deleted"),
    PODS_MUTATED("pods-mutated", Check.Kind.HARNESS, "every pod in a virtual namespace was mutated by skci's webhook"),
    NO_POD_ON_REAL_NODE("no-pod-on-real-node", Check.Kind.HARNESS, "no simulated pod was bound to a non-virtual node"),
    NO_PODS_DENIED("no-pods-denied", Check.Kind.HARNESS, "skci's webhook denied no pod"),
    CONTROLLERS_CREATED_PODS("controllers-created-pods", Check.Kind.HARNESS,
            "controllers created every pod they tried to (no FailedCreate events)"),
    AUTOSCALER_NODES_VIRTUAL("autoscaler-nodes-virtual", Check.Kind.HARNESS,
            "every node the autoscaler made was a virtual node (skci's label, taint and KWOK annotation); only with an autoscaler"),
    CLEANUP_COMPLETE("cleanup-complete", Check.Kind.HARNESS, "cleanup removed everything the run created"),
    SIMULATION_KEPT_UP("simulation-kept-up", Check.Kind.FIDELITY,
            "the cluster realised the pods the trace asked for: fidelity.podSeconds >= the threshold (0.8)"),
    AUTOSCALER_FAITHFUL("autoscaler-faithful", Check.Kind.FIDELITY,
            "the autoscaler's timers could follow the replay speed; a warning only, never fails; only with an autoscaler"),
    EVERY_POD_SCHEDULED("every-pod-scheduled", Check.Kind.EXPECTATION, "every pod was scheduled: pods.unschedulable == 0");

    private final String id;
    private final Check.Kind kind;
    private final String description;

    DefaultCheck(String id, Check.Kind kind, String description) {
        this.id = id;
        this.kind = kind;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public Check.Kind kind() {
        return kind;
    }

    public String description() {
        return description;
    }

    public static Optional<DefaultCheck> named(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(DefaultCheck::id).toList();
    }
}
