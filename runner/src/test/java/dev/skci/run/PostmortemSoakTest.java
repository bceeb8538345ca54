package dev.skci.run;

import dev.skci.cluster.Cluster;
import dev.skci.testing.ClusterTest;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Postmortem case 1, ten times in a row: the cainjector comes up 30 to 90 s late every time, and every
 * run must wait and pass. About 15 minutes; run on demand (README, "Tests"), not by default.
 */
@ClusterTest
@Tag("soak")
class PostmortemSoakTest {
    @Test
    void lateCainjectorTenTimesInARow(Cluster cluster) throws Exception {
        long[] delays = {30, 90, 45, 60, 35, 75, 50, 40, 85, 55};
        for (int i = 0; i < delays.length; i++) {
            long t = System.nanoTime();
            PostmortemClusterTest.cainjectorStartsLate(cluster, Duration.ofSeconds(delays[i]), "soak" + i);
            System.err.printf("[soak] run %d/10 with the cainjector %d s late: passed in %.1fs%n", i + 1, delays[i],
                    (System.nanoTime() - t) / 1e9);
        }
    }
}
