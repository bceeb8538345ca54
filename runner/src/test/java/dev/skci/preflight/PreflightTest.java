package dev.skci.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.replay.Desired.Change;
import dev.skci.replay.PodDemand;
import dev.skci.replay.ReplayPlan;
import dev.skci.trace.ScalingTrace;
import dev.skci.trace.codec.TraceFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preflight's model against hand-computed cases, and its assessment of the scale cases. */
class PreflightTest {
    private static final Capacity TEN = new Capacity(10, 10, 10, "test", Optional.empty());

    private static PodDemand demand(long end, Map<String, List<Change>> changes) {
        return new PodDemand(0, end, new LinkedHashMap<>(changes));
    }

    private static double predicted(PodDemand d, double speed, double creates, double deletes) {
        return FidelityModel.podSeconds(FidelityModel.batches(d), speed, creates, deletes);
    }

    /** 100 pods asked for at once, held 100 s, 10 created a second: pod k exists from k/10 s, losing 505 of 10,000 pod-seconds. */
    @Test
    void aRampLosesTheTimeEachPodWaited() {
        PodDemand d = demand(100, Map.of("Deployment a/x", List.of(new Change(0, 100))));
        assertEquals(1 - 505.0 / 10_000, predicted(d, 1, 10, 10), 1e-9);
        // Twice the speed: the same 10 s ramp against 50 s of wall time.
        assertEquals(1 - 505.0 / 5_000, predicted(d, 2, 10, 10), 1e-9);
        assertEquals(1.0, predicted(d, 1, 1e9, 1e9), 1e-6, "an instant cluster realises everything");
    }

    /** Scaled back to 0 after 5 s: only the 50 pods made by then are ever created, and each exists only until then. */
    @Test
    void podsNoLongerNeededAreNeverCreated() {
        PodDemand d = demand(10, Map.of("Deployment a/x", List.of(new Change(0, 100), new Change(5, 0))));
        double lost = 50 * 51 / 20.0 + 50 * 5;
        assertEquals(1 - lost / 500, predicted(d, 1, 10, 10), 1e-9);
    }

    /** Two workloads asking at once share the capacity: the second waits behind the first. */
    @Test
    void workloadsQueueBehindEachOther() {
        PodDemand one = demand(100, Map.of("Deployment a/x", List.of(new Change(0, 50))));
        PodDemand two = demand(100, Map.of("Deployment a/x", List.of(new Change(0, 50)), "Deployment a/y", List.of(new Change(0, 50))));
        double alone = predicted(one, 1, 10, 10);
        double shared = predicted(two, 1, 10, 10);
        assertTrue(shared < alone, shared + " vs " + alone);
        // y's pods are made from 5 s to 10 s: lost = 50*5 + 50*51/20.
        double lost = 50 * 51 / 20.0 + (50 * 5 + 50 * 51 / 20.0);
        assertEquals(1 - lost / 10_000, shared, 1e-9);
    }

    /** Deletions take capacity: a scale-down queued before a scale-up delays it. */
    @Test
    void deletionsTakeCapacity() {
        Map<String, List<Change>> c = new LinkedHashMap<>();
        c.put("Deployment a/old", List.of(new Change(0, 100), new Change(50, 0)));
        c.put("Deployment a/new", List.of(new Change(0, 0), new Change(50, 100)));
        PodDemand d = demand(100, c);
        assertTrue(predicted(d, 1, 10, 1) < predicted(d, 1, 10, 1000), "slow deletions delay the next creations");
    }

    @Test
    void roundsTheSuggestedSpeedDownToTwoDigits() {
        assertEquals(1.3, Preflight.roundDown(1.37), 1e-9);
        assertEquals(27, Preflight.roundDown(27.9), 1e-9);
        assertEquals(0.045, Preflight.roundDown(0.0456), 1e-12);
        assertEquals(2, Preflight.roundDown(2.0), 1e-12);
        assertEquals("1.5", Preflight.speed(1.5));
        assertEquals("10", Preflight.speed(10));
    }

    /** The 5,000-pod case, scanned from its trace: 3,800 pods in the peak minute. */
    @Test
    void theFiveThousandPodCase(@TempDir Path tmp) {
        TraceFile f = TraceFile.open(ScalingTrace.fiveThousand().write(tmp.resolve("s.sktrace")));
        PodDemand demand = PodDemand.scan(f, ReplayPlan.scan(f, Optional.empty()));
        assertEquals(100, demand.changes().size());
        assertEquals(5_000, demand.totals()[0], "1,200 at first, 3,800 more at the peak");
        assertEquals(5_000, demand.totals()[1], "3,800 at the scale-down, 1,200 when they are deleted");

        Preflight atOne = Preflight.assess(demand, 1, new Capacity(500, 500, 1000, "test", Optional.empty()), 0.8);
        assertEquals(3_800, atOne.peak().pods());
        assertEquals(60, atOne.peak().at(), 1e-9);
        assertEquals(3_800 / 60.0, atOne.peak().rate(), 1e-9, "reaching every count within the peak minute");
        assertTrue(atOne.faithful(), atOne.lines().toString());
        assertEquals(10 * 3_800 / 60.0, Preflight.assess(demand, 10, TEN, 0.8).peak().rate(), 1e-9, "ten times the speed, ten times the rate");

        Preflight slow = Preflight.assess(demand, 10, new Capacity(30, 30, 60, "test", Optional.empty()), 0.8);
        assertFalse(slow.faithful(), slow.lines().toString());
        double fastest = slow.fastest().orElseThrow();
        assertTrue(fastest < 10 && fastest > 0.1, "suggested speed " + fastest);
        assertTrue(Preflight.assess(demand, fastest, slow.capacity(), 0.8).faithful(), "the suggested speed is predicted faithful");
        assertFalse(Preflight.assess(demand, fastest * 1.2, slow.capacity(), 0.8).faithful(), "and it is about the highest one");
        assertTrue(slow.needed() > 30, "needs more than the cluster has: " + slow.needed());
        assertTrue(Preflight.assess(demand, 10, new Capacity(slow.needed() * 1.01, 1, slow.needed() * 2.02, "t", Optional.empty()), 0.8)
                .faithful(), "and that much would do");
        String warning = slow.warning();
        assertTrue(warning.startsWith("peak 633 pod creations/s at speed 10; this machine sustains about 30.0/s"), warning);
        assertTrue(warning.contains("use --speed " + Preflight.speed(fastest) + " or lower, or fewer replicas"), warning);
    }

    @Test
    void speedMaxIsNotJudged() {
        PodDemand d = demand(100, Map.of("Deployment a/x", List.of(new Change(0, 100))));
        Preflight p = Preflight.assess(d, Double.POSITIVE_INFINITY, TEN, 0.8);
        assertTrue(p.faithful());
        assertTrue(p.lines().getFirst().contains("--speed max keeps no trace time"), p.lines().toString());
    }
}
