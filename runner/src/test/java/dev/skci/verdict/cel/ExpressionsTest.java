package dev.skci.verdict.cel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.observe.Metrics;
import dev.skci.testing.TestMetrics;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The CEL environment of expectations: typed variables from the metric records, evaluated without a cluster. */
class ExpressionsTest {
    private static final Metrics M = TestMetrics.with(54, 30, 3, 0.95, true);

    private static boolean holds(String expr, Optional<Metrics> baseline) throws Exception {
        Expressions.Evaluation e = Expressions.evaluate(Expressions.compile(expr), M, baseline);
        assertEquals(null, e.error(), expr);
        return e.holds();
    }

    private static boolean holds(String expr) throws Exception {
        return holds(expr, Optional.empty());
    }

    @Test
    void everyVariableCanBeReadWithItsValue() throws Exception {
        assertTrue(holds("pods.created == 54"));
        assertTrue(holds("pods.unschedulable == 30 && pods.scheduled == 24.0"));
        assertTrue(holds("pods.pendingAtEnd == 30 && pods.runningAtEnd == 24 && pods.succeeded == 0 && pods.failed == 0"));
        assertTrue(holds("pods.schedulingLatency.wall.p50 == duration('10ms') && pods.schedulingLatency.trace.p99 < duration('1s')"));
        assertTrue(holds("pods.startupLatency.wall.max == duration('50ms') && pods.schedulingLatency.wall.count == 54"));
        assertTrue(holds("pods.reasons.exists(r, r.message.contains('Insufficient cpu') && r.pods == 30)"));
        assertTrue(holds("nodes.peak == 3 && nodes.atEnd == 3"));
        assertTrue(holds("cpu.requestedPeak == 2 && cpu.allocatablePeak == 24 && cpu.utilisationPeak < 0.1"));
        assertTrue(holds("memory.allocatablePeak > 90e9 && memory.utilisationPeak > 0.0"));
        assertTrue(holds("events['FailedScheduling'] == 30"));
        assertTrue(holds("workloads['shop/frontend'].kind == 'Deployment' && workloads['shop/frontend'].realised == 54"));
        assertTrue(holds("workloads['shop/frontend'].lag <= duration('2s') && workloads['shop/frontend'].podSeconds > 0.9"));
        assertTrue(holds("workloads['shop/frontend'].countsReached == workloads['shop/frontend'].countsRequested"));
        assertTrue(holds("fidelity.applicable && fidelity.podSeconds >= 0.95 && fidelity.countsReached == 1"));
        assertTrue(holds("size(timeline) == 3 && timeline[1].t == duration('10s') && timeline[2].pods.pending == 54"));
        assertTrue(holds("timeline.all(s, s.nodes == 3 && s.cpu.allocatable == 24 && s.memory.requested == 0)"));
        assertFalse(holds("timeline.all(s, s.pods.pending <= 10)"));
        assertTrue(holds("timeline.exists(s, s.wall >= duration('20s') && s.pods.total == 54)"));
    }

    @Test
    void integersAndDoublesMixInComparisonsEqualityAndArithmetic() throws Exception {
        assertTrue(holds("3 == nodes.peak && nodes.peak != 4 && 2 < nodes.peak && nodes.peak >= 3.0"));
        assertTrue(holds("nodes.peak * 2 == 6 && 2 * nodes.peak == 6.0 && nodes.peak + 1 == 4 && 1 + nodes.peak == 4"));
        assertTrue(holds("pods.created / 2 == 27 && 108 / pods.created == 2 && pods.created - 4 == 50 && 60 - pods.created == 6"));
        assertTrue(holds("pods.created * 1.1 > 59"));
    }

    @Test
    void baselineIsEmptyWithoutOneAndTheSameShapeWithOne() throws Exception {
        assertFalse(holds("has(baseline.pods)"));
        assertTrue(holds("!has(baseline.pods) || nodes.peak <= baseline.nodes.peak * 1.1"));
        Metrics before = TestMetrics.with(54, 0, 10, 1, true);
        assertTrue(holds("has(baseline.pods) && nodes.peak <= baseline.nodes.peak * 1.1", Optional.of(before)));
        assertFalse(holds("pods.unschedulable <= baseline.pods.unschedulable", Optional.of(before)));
    }

    @Test
    void mistakesAreFoundWhenCompiledWithCelsOwnMessage() {
        var typo = assertThrows(Expressions.InvalidExpression.class, () -> Expressions.compile("pods.craeted == 1"));
        assertTrue(typo.getMessage().contains("undefined field 'craeted'"), typo.getMessage());
        var unknown = assertThrows(Expressions.InvalidExpression.class, () -> Expressions.compile("nope > 1"));
        assertTrue(unknown.getMessage().contains("undeclared reference to 'nope'"), unknown.getMessage());
        var notBool = assertThrows(Expressions.InvalidExpression.class, () -> Expressions.compile("pods.created"));
        assertTrue(notBool.getMessage().contains("expected type 'bool'"), notBool.getMessage());
        var syntax = assertThrows(Expressions.InvalidExpression.class, () -> Expressions.compile("pods.created ==="));
        assertFalse(syntax.getMessage().contains("\n"), "one line: " + syntax.getMessage());
    }

    @Test
    void aRuntimeErrorIsAnOutcomeNotAnException() throws Exception {
        Expressions.Evaluation e = Expressions.evaluate(Expressions.compile("workloads['nope/none'].realised > 0"), M, Optional.empty());
        assertFalse(e.holds());
        assertNotNull(e.error());
    }

    @Test
    void theVariablesAreTheMetricRecordsComponents() {
        assertEquals(List.of("pods", "nodes", "cpu", "memory", "events", "workloads", "fidelity", "timeline", "baseline"),
                List.copyOf(Expressions.variables().keySet()));
    }
}
