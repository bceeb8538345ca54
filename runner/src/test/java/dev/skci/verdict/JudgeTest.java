package dev.skci.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.observe.Metrics;
import dev.skci.testing.TestMetrics;
import dev.skci.verdict.cel.Expressions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The verdict's layers and their precedence: a broken harness fails, an unfaithful simulation is inconclusive. */
class JudgeTest {
    private static final Evidence CLEAN = new Evidence(true, Evidence.Counted.NONE, List.of(), Evidence.Counted.NONE, Evidence.Counted.NONE);

    private static Expectation x(String name, String expr, Check.Severity severity) throws Exception {
        return new Expectation(name, Expressions.compile(expr), null, severity, "test");
    }

    private static Verdict judge(Evidence e, Metrics m, Rules rules) {
        return Judge.of(e, m, rules, Optional.empty(), Optional.of(List.of()));
    }

    @Test
    void aCleanRunPassesEveryDefaultCheckByName() {
        Verdict v = judge(CLEAN, TestMetrics.with(10, 0, 3, 1, true), Rules.DEFAULT);
        assertEquals(Verdict.Outcome.PASSED, v.outcome());
        assertEquals(DefaultCheck.ids().stream().filter(id -> !id.startsWith("autoscaler-")).toList(),
                v.checks().stream().map(Check::name).toList(), "the autoscaler's checks only come with an autoscaler");
    }

    private static Evidence.Autoscaler karpenter(List<String> unfaithful, List<String> notVirtual, List<String> explanation) {
        return new Evidence.Autoscaler("Karpenter v1.15.0", 10, List.of("NodePool default: label type=virtual"),
                List.of("NodePool default consolidateAfter 30s -> 3s"), unfaithful, 4, notVirtual, Optional.of(java.time.Duration.ofMillis(2300)),
                explanation);
    }

    private static Evidence with(Evidence.Autoscaler a) {
        return new Evidence(true, Evidence.Counted.NONE, List.of(), Evidence.Counted.NONE, Evidence.Counted.NONE, Optional.of(a));
    }

    @Test
    void withAnAutoscalerEveryDefaultCheckIsThereAndItsNodesAndTimersAreReported() {
        Verdict v = judge(with(karpenter(List.of(), List.of(), List.of())), TestMetrics.with(10, 0, 3, 1, true), Rules.DEFAULT);
        assertEquals(Verdict.Outcome.PASSED, v.outcome());
        assertEquals(DefaultCheck.ids(), v.checks().stream().map(Check::name).toList());
        Check nodes = v.checks().stream().filter(c -> c.name().equals("autoscaler-nodes-virtual")).findFirst().orElseThrow();
        assertEquals("Karpenter v1.15.0 made 4 node(s), all virtual nodes; the first was Ready 2.3 s (wall) after the first pod was "
                + "reported Unschedulable; skci added to NodePool default: label type=virtual", nodes.message());
        Check timers = v.checks().stream().filter(c -> c.name().equals("autoscaler-faithful")).findFirst().orElseThrow();
        assertEquals(Check.Status.PASSED, timers.status());
        assertEquals("Karpenter v1.15.0's timers follow speed 10: NodePool default consolidateAfter 30s -> 3s", timers.message());
    }

    @Test
    void anUnfaithfulAutoscalerOnlyWarns() {
        Verdict v = judge(with(karpenter(List.of("NodePool default: consolidation cannot follow speed 10"), List.of(), List.of())),
                TestMetrics.with(10, 0, 3, 1, true), Rules.DEFAULT);
        assertEquals(Verdict.Outcome.PASSED, v.outcome(), "a warning never fails the run");
        assertEquals(1, v.warnings().size());
        assertTrue(v.warnings().getFirst().message().contains("consolidation cannot follow speed 10"), v.warnings().toString());
    }

    @Test
    void aNodeWithoutTheMarkersBreaksTheHarness() {
        Verdict v = judge(with(karpenter(List.of(), List.of("kwok-default-x (lacks taint kwok-provider=true:NoSchedule)"), List.of())),
                TestMetrics.with(10, 0, 3, 1, true), Rules.DEFAULT);
        assertEquals(Verdict.Outcome.FAILED, v.outcome());
        assertTrue(v.reasons().getFirst().contains("made 1 of its 4 node(s) without skci's virtual-node markers")
                && v.reasons().getFirst().contains("kwok-default-x (lacks taint"), v.reasons().toString());
    }

    @Test
    void podsTheAutoscalerCouldNotPlaceNameWhatItSaid() {
        Verdict v = judge(with(karpenter(List.of(), List.of(), List.of("NodePool default is at its limits: limits.cpu 4 (4 in use)"))),
                TestMetrics.with(54, 30, 3, 1, true), Rules.DEFAULT);
        assertEquals(Verdict.Outcome.FAILED, v.outcome());
        String reason = v.reasons().getFirst();
        assertTrue(reason.startsWith("30 pod(s) were never scheduled; the scheduler said: "), reason);
        assertTrue(reason.contains("Karpenter v1.15.0 said: NodePool default is at its limits: limits.cpu 4 (4 in use)"), reason);
        assertTrue(reason.contains("NodePools' limits") && !reason.contains("--nodes"), reason);
    }

    @Test
    void unschedulablePodsFailTheDefaultExpectationNamingTheSchedulersReason() {
        Verdict v = judge(CLEAN, TestMetrics.with(54, 30, 3, 1, true), Rules.DEFAULT);
        assertEquals(Verdict.Outcome.FAILED, v.outcome());
        String reason = String.join("\n", v.reasons());
        assertTrue(reason.contains("30 pod(s) were never scheduled"), reason);
        assertTrue(reason.contains("Insufficient cpu") && reason.contains("--nodes"), reason);
    }

    @Test
    void aSimulationThatDidNotKeepUpIsInconclusiveEvenIfExpectationsFailed() throws Exception {
        Rules rules = new Rules(Map.of(), 0.8, List.of(x("never", "false", Check.Severity.FAIL)));
        Verdict v = judge(CLEAN, TestMetrics.with(54, 30, 3, 0.35, true), rules);
        assertEquals(Verdict.Outcome.INCONCLUSIVE, v.outcome());
        assertTrue(v.reasons().stream().anyMatch(r -> r.startsWith("the simulation did not reproduce the trace faithfully: the cluster "
                + "realised 35% of the requested pod-seconds (at least 80% needed): Deployment shop/frontend")), v.reasons().toString());
    }

    @Test
    void aBrokenHarnessFailsWhateverElseHappened() {
        Evidence denied = new Evidence(true, Evidence.Counted.NONE, List.of(), new Evidence.Counted(2, Optional.of("ns/p: no owner")),
                Evidence.Counted.NONE);
        Verdict v = judge(denied, TestMetrics.with(54, 0, 3, 0.1, true), Rules.DEFAULT);
        assertEquals(Verdict.Outcome.FAILED, v.outcome());
        assertTrue(v.reasons().contains("the webhook denied 2 pod(s); first: ns/p: no owner"));
    }

    @Test
    void warningsAndSwitchedOffChecksNeverFail() throws Exception {
        Rules rules = new Rules(Map.of("every-pod-scheduled", "capacity is modelled in issue 11"), 0.8,
                List.of(x("soft", "nodes.peak < 2", Check.Severity.WARN)));
        Verdict v = judge(CLEAN, TestMetrics.with(54, 30, 3, 1, true), rules);
        assertEquals(Verdict.Outcome.PASSED, v.outcome());
        assertEquals(1, v.warnings().size());
        Check off = v.checks().stream().filter(c -> c.name().equals("every-pod-scheduled")).findFirst().orElseThrow();
        assertEquals(Check.Status.OFF, off.status());
        assertEquals("switched off: capacity is modelled in issue 11", off.message());
    }

    @Test
    void anExpressionThatCannotBeEvaluatedFailsThatExpectationWithTheCelError() throws Exception {
        Rules rules = new Rules(Map.of(), 0.8, List.of(x("missing", "workloads['a/b'].realised > 0", Check.Severity.FAIL)));
        Verdict v = judge(CLEAN, TestMetrics.with(5, 0, 3, 1, true), rules);
        Check c = v.checks().getLast();
        assertEquals(Check.Status.ERROR, c.status());
        assertTrue(c.message().startsWith("could not evaluate workloads['a/b'].realised > 0: "), c.message());
        assertEquals(Verdict.Outcome.FAILED, v.outcome());
    }
}
