package dev.skci.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.testing.TestMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Baseline against now: better, worse, and within the noise repeats measured. */
class ComparisonTest {
    private static Comparison.Row row(List<Comparison.Row> rows, String metric) {
        return rows.stream().filter(r -> r.metric().equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void singleRunsShowTheChangeAndWhichWayIsWorse() {
        var rows = Comparison.rows(List.of(TestMetrics.with(50, 0, 4, 1, true)), List.of(TestMetrics.with(50, 10, 6, 1, true)));
        assertEquals("worse", row(rows, "nodes.peak").assessment());
        assertEquals("+50.0%", row(rows, "nodes.peak").changeText());
        assertEquals("worse", row(rows, "pods.unschedulable").assessment());
        assertEquals("+10", row(rows, "pods.unschedulable").changeText());
        assertEquals("same", row(rows, "pods.created").assessment());
    }

    @Test
    void aDifferenceInsideTheSpreadOfRepeatsIsWithinNoise() {
        var base = List.of(TestMetrics.with(50, 0, 4, 1, true), TestMetrics.with(50, 0, 6, 1, true));
        var now = List.of(TestMetrics.with(50, 0, 5, 1, true), TestMetrics.with(50, 0, 6, 1, true));
        assertEquals("within noise", row(Comparison.rows(base, now), "nodes.peak").assessment());
        var clearlyWorse = List.of(TestMetrics.with(50, 0, 9, 1, true), TestMetrics.with(50, 0, 10, 1, true));
        assertEquals("worse", row(Comparison.rows(base, clearlyWorse), "nodes.peak").assessment());
        assertTrue(Comparison.markdown(Comparison.rows(base, now)).contains("| `nodes.peak` | 5 | 5.500 |"));
    }
}
