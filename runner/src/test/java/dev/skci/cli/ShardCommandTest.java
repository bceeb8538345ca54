package dev.skci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code skci run --shard} and {@code skci merge-reports} as a user runs them, without a cluster: the provider points
 * at a port nothing listens on, so any cluster work would end in exit 3.
 */
class ShardCommandTest {
    private static final String CRONJOB = "../traces/cronjob.sktrace";
    private static final String SCALING = "../traces/deployment-scaling.sktrace";

    private static Path deadKubeconfig(Path dir) throws Exception {
        Path k = dir.resolve("dead.kubeconfig");
        Files.writeString(k, """
                apiVersion: v1
                kind: Config
                clusters: [{name: dead, cluster: {server: "https://127.0.0.1:1"}}]
                contexts: [{name: dead, context: {cluster: dead, user: u}}]
                current-context: dead
                users: [{name: u, user: {token: x}}]
                """);
        return k;
    }

    @Test
    void anEmptyShardPassesWithoutTouchingACluster(@TempDir Path tmp) throws Exception {
        Cli.Result r = Cli.run("run", "--shard", "3/3", "--kubeconfig", deadKubeconfig(tmp).toString(), "--report-dir",
                tmp.resolve("r").toString(), CRONJOB, SCALING);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.err().contains("skci: shard 3/3: 0 of 2 simulation(s)"), r.toString());
        JsonNode s = new ObjectMapper().readTree(tmp.resolve("r/summary.json").toFile());
        assertEquals(3, s.path("shard").path("index").asInt());
        assertEquals(0, s.path("simulations").size());
    }

    @Test
    void aShardWithWorkGoesToTheCluster(@TempDir Path tmp) throws Exception {
        // Two traces, two shards: each gets one, and reaches the (dead) cluster: exit 3, reports naming the shard.
        for (int i = 1; i <= 2; i++) {
            Cli.Result r = Cli.run("run", "--shard", i + "/2", "--kubeconfig", deadKubeconfig(tmp).toString(), "--report-dir",
                    tmp.resolve("r" + i).toString(), CRONJOB, SCALING);
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.err().contains("skci: shard " + i + "/2: 1 of 2 simulation(s): "), r.toString());
        }
        Cli.Result merged = Cli.run("merge-reports", "-o", tmp.resolve("m").toString(), tmp.resolve("r1").toString(),
                tmp.resolve("r2").toString());
        assertEquals(3, merged.exit(), merged.toString());
        assertTrue(merged.out().contains("merged: environment-error (exit 3)"), merged.toString());
        assertTrue(Files.isRegularFile(tmp.resolve("m/report.html")));
    }

    @Test
    void aBadShardIsOneLineAndExit2BeforeAnythingElse(@TempDir Path tmp) {
        for (String bad : new String[] {"0/2", "3/2", "two", "1/2/3"}) {
            Cli.Result r = Cli.run("run", "--shard", bad, "--report-dir", tmp.resolve("r").toString(), "does-not-exist.sktrace");
            assertEquals(2, r.exit(), r.toString());
            assertEquals(1, r.errLines().size(), r.toString());
            assertTrue(r.err().startsWith("skci: --shard"), r.toString());
        }
        assertFalse(Files.exists(tmp.resolve("r")));
    }

    @Test
    void mergeReportsNeedsInputs(@TempDir Path tmp) {
        Cli.Result r = Cli.run("merge-reports", "-o", tmp.resolve("m").toString(), tmp.resolve("nope").toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().startsWith("skci: merge-reports: "), r.toString());
    }
}
