package dev.skci.verdict;

import dev.skci.observe.Metrics;
import dev.skci.observe.Violation;
import dev.skci.verdict.cel.Expressions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Judges a simulation from what was observed: the harness invariants ({@link Evidence}), fidelity and
 * the expectations over the {@link Metrics}, under the {@link Rules}. Every check is kept, passed or
 * not, so a failed run says everything that went wrong at once and a passed run says what it proved.
 */
public final class Judge {
    private Judge() {}

    /** Harness invariants only (no metrics judged): for runs that did not get that far, and for tests. */
    public static Verdict of(Evidence e) {
        return Verdict.of(harness(e, Optional.empty(), Rules.DEFAULT));
    }

    /**
     * @param cleanupLeftovers what cleanup left behind, once it ran; empty before (the preliminary verdict
     *     that decides whether to collect diagnostics)
     */
    public static Verdict of(Evidence e, Metrics m, Rules rules, Optional<Metrics> baseline, Optional<List<String>> cleanupLeftovers) {
        List<Check> checks = new ArrayList<>(harness(e, cleanupLeftovers, rules));
        checks.add(rule(DefaultCheck.SIMULATION_KEPT_UP, rules, () -> fidelity(m, rules)));
        e.autoscaler().ifPresent(a -> checks.add(autoscalerFaithful(a, rules)));
        checks.add(rule(DefaultCheck.EVERY_POD_SCHEDULED, rules, () -> everyPodScheduled(m, e.overridden(), e.autoscaler())));
        for (Expectation x : rules.expectations()) {
            checks.add(expectation(x, m, baseline));
        }
        return Verdict.of(checks);
    }

    private static List<Check> harness(Evidence e, Optional<List<String>> cleanup, Rules rules) {
        List<Check> out = new ArrayList<>();
        out.add(rule(DefaultCheck.WEBHOOK_KEPT_SERVING, rules, () -> e.webhookServing() ? null
                : "the webhook server stopped during the run; pod creations were refused (fail closed)"));
        out.add(rule(DefaultCheck.REPLAY_APPLIED, rules, () -> e.replayFailures().count() == 0 ? null
                : e.replayFailures().count() + " replay operation(s) failed; first: " + e.replayFailures().first().orElse("")));
        out.add(rule(DefaultCheck.PODS_MUTATED, rules, () -> violations(e, Violation.UNMUTATED_POD)));
        out.add(rule(DefaultCheck.NO_POD_ON_REAL_NODE, rules, () -> violations(e, Violation.POD_ON_REAL_NODE)));
        out.add(rule(DefaultCheck.NO_PODS_DENIED, rules, () -> e.denied().count() == 0 ? null
                : "the webhook denied " + e.denied().count() + " pod(s); first: " + e.denied().first().orElse("")));
        out.add(rule(DefaultCheck.CONTROLLERS_CREATED_PODS, rules, () -> e.failedCreates().count() == 0 ? null
                : "controllers failed to create pods " + e.failedCreates().count() + " time(s); first: "
                        + e.failedCreates().first().orElse("")));
        e.autoscaler().ifPresent(a -> out.add(autoscalerNodesVirtual(a, rules)));
        cleanup.ifPresent(left -> out.add(rule(DefaultCheck.CLEANUP_COMPLETE, rules, () -> left.isEmpty() ? null
                : "cleanup did not finish: " + String.join("; ", left))));
        return out;
    }

    /** Every node the autoscaler made carried skci's markers; its message also says what skci added to the NodePools. */
    static Check autoscalerNodesVirtual(Evidence.Autoscaler a, Rules rules) {
        Check c = rule(DefaultCheck.AUTOSCALER_NODES_VIRTUAL, rules, () -> a.notVirtual().isEmpty() ? null
                : a.name() + " made " + a.notVirtual().size() + " of its " + a.nodesMade() + " node(s) without skci's virtual-node "
                        + "markers, so simulated pods cannot use them: " + String.join("; ", a.notVirtual().stream().limit(5).toList()));
        if (c.status() != Check.Status.PASSED) {
            return c;
        }
        String first = a.firstNodeReady().map(d -> String.format(Locale.ROOT, "; the first was Ready %.1f s (wall) after the first "
                + "pod was reported Unschedulable", d.toMillis() / 1000.0)).orElse("");
        String added = a.added().isEmpty() ? "" : "; skci added to " + String.join("; ", a.added());
        return Check.passed(c.name(), c.kind(), c.severity(), a.name() + " made " + a.nodesMade() + " node(s), all virtual nodes"
                + first + added);
    }

    /** A warning, never a failure: what of the autoscaler cannot follow the replay speed. */
    static Check autoscalerFaithful(Evidence.Autoscaler a, Rules rules) {
        DefaultCheck d = DefaultCheck.AUTOSCALER_FAITHFUL;
        String off = rules.off().get(d.id());
        if (off != null) {
            return new Check(d.id(), d.kind(), Check.Severity.WARN, Check.Status.OFF, "switched off: " + off);
        }
        if (!a.unfaithful().isEmpty()) {
            return Check.failed(d.id(), d.kind(), Check.Severity.WARN, a.name() + " is not faithful at speed " + speed(a.speed()) + ": "
                    + String.join("; ", a.unfaithful()) + " (docs/karpenter.md, \"Time\")");
        }
        return Check.passed(d.id(), d.kind(), Check.Severity.WARN, a.scaled().isEmpty()
                ? a.name() + "'s timers run as configured at speed " + speed(a.speed())
                : a.name() + "'s timers follow speed " + speed(a.speed()) + ": " + String.join("; ", a.scaled()));
    }

    private static String speed(double s) {
        return Double.isInfinite(s) ? "max" : s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }

    private static String violations(Evidence e, String invariant) {
        List<String> lines = e.violations().stream().filter(v -> v.invariant().equals(invariant)).map(Violation::toString).toList();
        return lines.isEmpty() ? null : String.join("\n", lines);
    }

    /** A default check: null from {@code problem} means it held. */
    private static Check rule(DefaultCheck c, Rules rules, java.util.function.Supplier<String> problem) {
        String off = rules.off().get(c.id());
        if (off != null) {
            return new Check(c.id(), c.kind(), Check.Severity.FAIL, Check.Status.OFF, "switched off: " + off);
        }
        String p = problem.get();
        return p == null ? Check.passed(c.id(), c.kind(), Check.Severity.FAIL, c.description())
                : Check.failed(c.id(), c.kind(), Check.Severity.FAIL, p);
    }

    static String fidelity(Metrics m, Rules rules) {
        Metrics.Fidelity f = m.fidelity();
        if (!f.applicable() || f.podSeconds() >= rules.minPodSeconds()) {
            return null;
        }
        String behind = m.workloads().entrySet().stream()
                .filter(w -> w.getValue().desired() > 0 && w.getValue().podSeconds() < rules.minPodSeconds())
                .sorted(Comparator.comparingDouble(w -> w.getValue().podSeconds()))
                .limit(3)
                .map(w -> w.getValue().kind() + " " + w.getKey() + " reached " + (long) w.getValue().realised() + " of "
                        + (long) w.getValue().desired() + " pods (" + percent(w.getValue().podSeconds()) + " of its pod-seconds)")
                .collect(Collectors.joining("; "));
        return "the simulation did not reproduce the trace faithfully: the cluster realised " + percent(f.podSeconds())
                + " of the requested pod-seconds (at least " + percent(rules.minPodSeconds()) + " needed)"
                + (behind.isEmpty() ? "" : ": " + behind) + "; lower --speed, or add capacity to the simulation cluster";
    }

    static String everyPodScheduled(Metrics m) {
        return everyPodScheduled(m, Map.of(), Optional.empty());
    }

    static String everyPodScheduled(Metrics m, Map<String, List<String>> overridden) {
        return everyPodScheduled(m, overridden, Optional.empty());
    }

    static String everyPodScheduled(Metrics m, Optional<Evidence.Autoscaler> autoscaler) {
        return everyPodScheduled(m, Map.of(), autoscaler);
    }

    /**
     * @param overridden traced objects the overrides patched, and by which: named when their pods are among those never scheduled
     * @param autoscaler with an autoscaler in the loop, what it said about the pods it could not place (a NodePool's limits, say)
     */
    static String everyPodScheduled(Metrics m, Map<String, List<String>> overridden, Optional<Evidence.Autoscaler> autoscaler) {
        long n = (long) m.pods().unschedulable();
        if (n == 0) {
            return null;
        }
        String why = m.pods().reasons().stream().map(r -> (long) r.pods() + " × \"" + r.message() + "\"")
                .collect(Collectors.joining("; "));
        List<String> changed = new ArrayList<>();
        overridden.forEach((object, by) -> workload(m, object).filter(w -> w.scheduled() < w.created()).ifPresent(w ->
                changed.add(object + " (" + (long) w.scheduled() + " of " + (long) w.created() + " pods scheduled; overridden by "
                        + String.join(", ", by) + ")")));
        String changes = changed.isEmpty() ? "" : ". Objects the overrides changed have unscheduled pods: " + String.join("; ", changed);
        if (autoscaler.isPresent()) {
            Evidence.Autoscaler a = autoscaler.get();
            String said = a.explanation().isEmpty() ? a.name() + " gave no reason"
                    : a.name() + " said: " + String.join("; ", a.explanation());
            return n + " pod(s) were never scheduled; the scheduler said: " + why + "; " + said + changes
                    + ". Check the NodePools' limits and requirements (cluster.autoscaler.karpenter)";
        }
        return n + " pod(s) were never scheduled; the scheduler said: " + why + changes
                + ". Describe the production cluster's nodes to the simulation (cluster.nodePools in skci.yaml, "
                + "'skci nodes import' makes them from kubectl get nodes -o json; or --nodes, --node-cpu, --node-memory)";
    }

    /** The workload metrics of a traced object named {@code Kind ns/name} (keyed {@code ns/name}, or {@code ns/name (Kind)}). */
    private static Optional<Metrics.Workload> workload(Metrics m, String object) {
        int space = object.indexOf(' ');
        String kind = object.substring(0, space);
        String nsName = object.substring(space + 1);
        Metrics.Workload w = m.workloads().get(nsName);
        if (w != null && w.kind().equals(kind)) {
            return Optional.of(w);
        }
        return Optional.ofNullable(m.workloads().get(nsName + " (" + kind + ")"));
    }

    private static Check expectation(Expectation x, Metrics m, Optional<Metrics> baseline) {
        Expressions.Evaluation ev = Expressions.evaluate(x.expr(), m, baseline);
        if (ev.error() != null) {
            return new Check(x.name(), Check.Kind.EXPECTATION, x.severity(), Check.Status.ERROR,
                    "could not evaluate " + x.expr().source() + ": " + ev.error());
        }
        if (ev.holds()) {
            return Check.passed(x.name(), Check.Kind.EXPECTATION, x.severity(), x.expr().source());
        }
        String msg = x.message() != null && !x.message().isBlank() ? x.message() + " (" + x.expr().source() + ")"
                : x.expr().source() + " does not hold";
        return Check.failed(x.name(), Check.Kind.EXPECTATION, x.severity(), msg);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }
}
