package dev.skci.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.replay.Desired;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metrics from observed records, computed in trace time: no cluster needed, the records are made by hand. */
class MetricsBuilderTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final long START = 1000;

    /** A wall-clock instant {@code s} seconds after the replay started. */
    private static Instant at(double s) {
        return s < 0 ? null : T0.plusNanos(Math.round(s * 1e9));
    }

    private static PodRecord pod(String name, String workload, double created, double scheduled, double running, double finished,
            double deleted, double unschedulable, String message) {
        return new PodRecord("virtual-shop", name, workload, scheduled >= 0 ? "skci-virtual-0" : null,
                finished >= 0 ? "Succeeded" : running >= 0 ? "Running" : "Pending", true, at(created), at(scheduled), at(running),
                at(finished), at(deleted), at(unschedulable), message, 500, 1 << 20);
    }

    private static NodeRecord node(String name, boolean virtual) {
        return new NodeRecord(name, virtual, T0, T0, null, 8000, 32L << 30, 110);
    }

    private static Metrics build(List<PodRecord> pods, Map<String, List<Desired.Change>> desired, double speed, long span, double end) {
        return MetricsBuilder.build(new MetricsBuilder.Inputs(pods, List.of(node("skci-virtual-0", true), node("decoy", false)),
                Map.of("FailedScheduling", 4L), desired,
                w -> w.startsWith("Deployment") || w.startsWith("Pod") ? Desired.Shape.REPLICAS : Desired.Shape.OTHER,
                START, span, speed, T0, at(end)));
    }

    @Test
    void latenciesAreMeasuredInWallTimeAndScaledToTraceTime() {
        List<PodRecord> pods = List.of(pod("a", null, 0, 0.1, 0.2, -1, -1, -1, null), pod("b", null, 1, 1.3, 1.5, -1, -1, -1, null));
        Metrics m = build(pods, Map.of(), 10, 60, 6);
        assertEquals(Duration.ofMillis(300), m.pods().schedulingLatency().wall().max());
        assertEquals(Duration.ofSeconds(3), m.pods().schedulingLatency().trace().max(), "0.3 s of wall time at speed 10");
        assertEquals(Duration.ofMillis(100), m.pods().schedulingLatency().wall().p50());
        assertEquals(2, m.pods().created());
        assertEquals(2, m.pods().runningAtEnd());
    }

    @Test
    void unschedulablePodsCountUnlessTheyWereOnlyBrieflyPendingAndTheReasonsAreGrouped() {
        String msg = "0/4 nodes are available: 3 Insufficient cpu, 1 node(s) had untolerated taint {kwok-provider: true}. "
                + "preemption: 0/4 nodes are available: 4 No preemption victims found for incoming pod.";
        List<PodRecord> pods = List.of(
                pod("stuck-1", null, 0, -1, -1, -1, -1, 0.1, msg),
                pod("stuck-2", null, 0, -1, -1, -1, -1, 0.2, msg),
                pod("scaled-away", null, 0, -1, -1, -1, 0.3, 0.1, msg),    // 0.2 s wall = 2 s trace: briefly
                pod("long-then-gone", null, 0, -1, -1, -1, 2.0, 0.1, msg), // 19 s of trace pending: counts
                pod("later-placed", null, 0, 3, 4, -1, -1, 0.1, msg));
        Metrics m = build(pods, Map.of(), 10, 60, 6);
        assertEquals(3, m.pods().unschedulable());
        assertEquals(2, m.pods().pendingAtEnd());
        assertEquals(1, m.pods().reasons().size());
        assertEquals("0/4 nodes are available: 3 Insufficient cpu, 1 node(s) had untolerated taint {kwok-provider: true}",
                m.pods().reasons().getFirst().message());
        assertEquals(3, m.pods().reasons().getFirst().pods());
        assertEquals(4, m.events().get("FailedScheduling"));
        assertEquals(0, m.events().get("Evicted"), "known reasons are always present");
    }

    @Test
    void theTimelineHasASampleWhenSomethingChangedAndPeaksAreExact() {
        List<PodRecord> pods = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pods.add(pod("p" + i, null, 0.1 * i, 0.1 * i + 0.05, 0.1 * i + 0.08, -1, 1.0, -1, null));
        }
        Metrics m = build(pods, Map.of(), 10, 30, 3);
        List<Metrics.Sample> t = m.timeline();
        assertEquals(Duration.ZERO, t.getFirst().t());
        assertEquals(Duration.ofSeconds(30), t.getLast().t(), "up to the end of the trace window");
        assertTrue(t.stream().anyMatch(s -> s.pods().running() == 4), "all four were running at some second: " + t);
        assertEquals(0, t.getLast().pods().total(), "deleted at 1 s of wall time = 10 s of trace");
        for (int i = 1; i < t.size() - 1; i++) {
            assertFalse(t.get(i).pods().equals(t.get(i - 1).pods()) && t.get(i).cpu().equals(t.get(i - 1).cpu()),
                    "a sample only when something changed: " + t.get(i));
        }
        assertEquals(2.0, m.cpu().requestedPeak(), 1e-9, "4 × 500m");
        assertEquals(8.0, m.cpu().allocatablePeak(), 1e-9, "only the virtual node counts");
        assertEquals(0.25, m.cpu().utilisationPeak(), 1e-9);
        assertEquals(1, m.nodes().peak());
    }

    @Test
    void fidelityComparesRealisedWithRequestedPodSecondsAndMeasuresTheLag() {
        String w = "Deployment shop/frontend";
        // The trace asks for 2 replicas from +0 s and 4 from +30 s, for 60 s; at speed 10.
        var desired = Map.of(w, List.of(new Desired.Change(START, 2), new Desired.Change(START + 30, 4)));
        List<PodRecord> pods = List.of(
                pod("a", w, 0.1, 0.2, 0.3, -1, -1, -1, null),   // live from 1 s of trace
                pod("b", w, 0.1, 0.2, 0.3, -1, -1, -1, null),
                pod("c", w, 3.5, 3.6, 3.7, -1, -1, -1, null),   // from 35 s: 5 s late
                pod("d", w, 3.5, 3.6, 3.7, -1, -1, -1, null));
        Metrics m = build(pods, desired, 10, 60, 6);
        Metrics.Workload wl = m.workloads().get("shop/frontend");
        assertEquals("Deployment", wl.kind());
        assertEquals(4, wl.desired());
        assertEquals(4, wl.realised());
        assertEquals(2, wl.countsRequested());
        assertEquals(2, wl.countsReached());
        assertEquals(Duration.ofSeconds(5), wl.lag());
        // requested: 2×30 + 4×30 = 180; realised: 2×29 + (2×30 + 2×25) = 168
        assertEquals(168.0 / 180, wl.podSeconds(), 1e-6);
        assertTrue(m.fidelity().applicable());
        assertEquals(168.0 / 180, m.fidelity().podSeconds(), 1e-6);
    }

    @Test
    void aCountNeverReachedBeforeTheTraceChangedItCountsAsNotReached() {
        String w = "Deployment shop/api";
        var desired = Map.of(w, List.of(new Desired.Change(START, 10), new Desired.Change(START + 20, 0)));
        List<PodRecord> pods = List.of(pod("only", w, 0.1, 0.2, 0.3, -1, 1.9, -1, null));
        Metrics m = build(pods, desired, 10, 60, 6);
        Metrics.Workload wl = m.workloads().get("shop/api");
        assertEquals(1, wl.countsRequested());
        assertEquals(0, wl.countsReached());
        assertEquals(Duration.ofSeconds(20), wl.lag(), "the whole window");
        assertTrue(m.fidelity().podSeconds() < 0.15, "1 of 10 for 18 of 20 s: " + m.fidelity().podSeconds());
    }

    @Test
    void jobsAndMaxSpeedAreNotJudgedByPodSeconds() {
        String job = "CronJob default/hello";
        Metrics m = build(List.of(pod("hello-1", job, 0.1, 0.2, 0.3, 0.6, -1, -1, null)), Map.of(job, List.of(new Desired.Change(START, 0))),
                10, 60, 6);
        assertFalse(m.fidelity().applicable());
        assertEquals(1, m.workloads().get("default/hello").completions());
        assertEquals(1, m.workloads().get("default/hello").podSeconds());
        String d = "Deployment shop/frontend";
        Metrics max = build(List.of(), Map.of(d, List.of(new Desired.Change(START, 3))), Double.POSITIVE_INFINITY, 60, 1);
        assertFalse(max.fidelity().applicable(), "--speed max keeps no trace time");
    }
}
