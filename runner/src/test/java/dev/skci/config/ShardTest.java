package dev.skci.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.SkciException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ShardTest {
    /** A simulation for these tests: a name and its expected wall seconds. */
    record Sim(String name, double cost) {}

    private static List<Sim> select(Shard s, List<Sim> sims) {
        return s.select(sims, Sim::cost, Sim::name);
    }

    @Test
    void parsesIOfNAndRejectsTheRestWithOneLine() {
        assertEquals(new Shard(2, 3), Shard.parse("2/3"));
        assertEquals("2/3", Shard.parse(" 2/3 ").toString());
        for (String bad : List.of("0/2", "3/2", "1/0", "1", "a/b", "1/2/3", "-1/2", "", "/2", "1/")) {
            SkciException e = assertThrows(SkciException.class, () -> Shard.parse(bad), bad);
            assertEquals(SkciException.Kind.INVALID_INPUT, e.kind(), bad);
            assertTrue(e.getMessage().startsWith("--shard"), e.getMessage());
        }
    }

    @Test
    void everySimulationRunsInExactlyOneShard() {
        List<Sim> sims = new ArrayList<>();
        Random rnd = new Random(7);
        for (int i = 0; i < 23; i++) {
            sims.add(new Sim("traces/t" + i + ".sktrace", 15 + rnd.nextInt(600)));
        }
        for (int n = 1; n <= 6; n++) {
            Set<Sim> seen = new HashSet<>();
            int total = 0;
            for (int i = 1; i <= n; i++) {
                List<Sim> mine = select(new Shard(i, n), sims);
                total += mine.size();
                seen.addAll(mine);
            }
            assertEquals(sims.size(), total, "no simulation twice, n=" + n);
            assertEquals(new HashSet<>(sims), seen, "none left out, n=" + n);
        }
    }

    @Test
    void balancedByTimeNotByCount() {
        // One long trace and six short ones: by count, 1+3 vs 3; by time the long one runs alone.
        List<Sim> sims = new ArrayList<>(List.of(new Sim("long", 600)));
        for (int i = 0; i < 6; i++) {
            sims.add(new Sim("short-" + i, 60));
        }
        List<Sim> one = select(new Shard(1, 2), sims);
        List<Sim> two = select(new Shard(2, 2), sims);
        assertEquals(List.of(new Sim("long", 600)), one);
        assertEquals(6, two.size());
        // Greedy longest-first is within 4/3 of the best split; here it is exact.
        double[] load = {one.stream().mapToDouble(Sim::cost).sum(), two.stream().mapToDouble(Sim::cost).sum()};
        assertTrue(Math.max(load[0], load[1]) <= 600, "makespan " + Math.max(load[0], load[1]));
    }

    @Test
    void theSplitDoesNotDependOnTheOrderTheTracesWereListedIn() {
        List<Sim> sims = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sims.add(new Sim("t" + i, i % 3 == 0 ? 100 : 50)); // many equal costs: ties decide
        }
        Map<Integer, Set<Sim>> first = new TreeMap<>();
        for (int i = 1; i <= 3; i++) {
            first.put(i, new HashSet<>(select(new Shard(i, 3), sims)));
        }
        for (long seed = 1; seed <= 5; seed++) {
            List<Sim> shuffled = new ArrayList<>(sims);
            Collections.shuffle(shuffled, new Random(seed));
            for (int i = 1; i <= 3; i++) {
                assertEquals(first.get(i), new HashSet<>(select(new Shard(i, 3), shuffled)), "shard " + i + ", seed " + seed);
            }
        }
    }

    @Test
    void theShardKeepsTheSimulationsInTheirListedOrder() {
        List<Sim> sims = List.of(new Sim("c", 10), new Sim("a", 500), new Sim("b", 20), new Sim("d", 30));
        List<Sim> two = select(new Shard(2, 2), sims);
        assertEquals(List.of("c", "b", "d"), two.stream().map(Sim::name).toList());
    }

    @Test
    void moreShardsThanSimulationsLeavesSomeEmpty() {
        List<Sim> sims = List.of(new Sim("a", 10), new Sim("b", 10));
        assertEquals(1, select(new Shard(1, 4), sims).size());
        assertEquals(1, select(new Shard(2, 4), sims).size());
        assertEquals(0, select(new Shard(3, 4), sims).size());
        assertEquals(0, select(new Shard(4, 4), sims).size());
    }

    @Test
    void costIsTraceTimeOverSpeedPerRunPlusTheFixedPart() {
        assertEquals(2 * (Shard.OVERHEAD_SECONDS + 30), Shard.cost(300, 10, 2), 1e-9);
        assertEquals(Shard.OVERHEAD_SECONDS, Shard.cost(300, Double.POSITIVE_INFINITY, 1), 1e-9);
    }
}
