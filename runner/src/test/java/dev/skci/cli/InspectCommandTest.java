package dev.skci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.TestData;
import org.junit.jupiter.api.Test;

class InspectCommandTest {

    private static final String CRONJOB = TestData.sharedTrace("cronjob.sktrace").toString();

    @Test
    void textSummary() {
        Cli.Result r = Cli.run("inspect", "--ascii", CRONJOB);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.err());
        assertTrue(r.out().contains("span          2025-03-29T22:20:23Z .. 2025-03-29T22:23:48Z (3m25s)"), r::toString);
        assertTrue(r.out().contains("batch/v1.CronJob default/hello-simkube"), r::toString);
        assertTrue(r.out().contains("Finished  +38s .. +1m8s (30s)"), r::toString);
        assertTrue(r.out().contains("activity      objects per 5s (max 1)"), r::toString);
        assertTrue(r.out().chars().allMatch(c -> c < 128), "--ascii output must be ASCII");
    }

    @Test
    void jsonHasTheSameData() throws Exception {
        Cli.Result r = Cli.run("inspect", "--json", "--width", "20", CRONJOB);
        assertEquals(0, r.exit(), r::toString);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(205, j.get("durationSeconds").asInt());
        assertEquals(1, j.get("appliedByKind").get("batch/v1.CronJob").asInt());
        assertEquals("10855072724872030168", j.get("lifecycles").get(0).get("hashes").get(0).get("hash").bigIntegerValue().toString());
        assertEquals(11, j.get("activity").get("bucketSeconds").asInt()); // ceil(206 / 20)
        assertEquals(19, j.get("activity").get("objects").size());
    }

    @Test
    void badWidthIsAUsageError() {
        Cli.Result r = Cli.run("inspect", "--width", "3", CRONJOB);
        assertEquals(2, r.exit());
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.errLines().get(0).startsWith("skci: --width must be between 10 and 200"), r::toString);
    }
}
