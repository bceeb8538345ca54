package dev.skci.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.TestData;
import dev.skci.cli.Cli;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one declaration of the gates, and every place that lists them, agree. */
class GateCatalogTest {
    @Test
    void idsAreUniqueAndGatesComeInPhaseOrder() {
        assertEquals(GateCatalog.ids().size(), new HashSet<>(GateCatalog.ids()).size());
        List<Gate.Phase> phases = GateCatalog.ALL.stream().map(Gate::phase).toList();
        for (int i = 1; i < phases.size(); i++) {
            assertTrue(phases.get(i - 1).compareTo(phases.get(i)) <= 0, "gates are passed phase by phase: " + phases);
        }
        assertEquals(Arrays.asList(Gate.Phase.values()), phases.stream().distinct().toList(), "every phase has a gate");
    }

    @Test
    void theReplayPageListsEveryGateWithItsTimeout() throws Exception {
        String doc = Files.readString(TestData.repoRoot().resolve("docs/replay.md"));
        String begin = "<!-- gates:begin -->";
        String table = doc.substring(doc.indexOf(begin) + begin.length(), doc.indexOf("<!-- gates:end -->"));
        List<String> rows = table.lines().filter(l -> l.startsWith("| `")).toList();
        assertEquals(GateCatalog.ids(), rows.stream().map(l -> l.substring(3, l.indexOf('`', 3))).toList(),
                "docs/replay.md's gate table, in order");
        for (int i = 0; i < rows.size(); i++) {
            String timeout = rows.get(i).split("\\|")[2].trim();
            assertEquals(GateCatalog.ALL.get(i).defaultTimeout().toSeconds() + "s", timeout, rows.get(i));
        }
    }

    @Test
    void runHelpListsEveryGate() {
        Cli.Result r = Cli.run("run", "--help");
        assertEquals(0, r.exit());
        for (Gate g : GateCatalog.ALL) {
            assertTrue(r.out().contains(g.id()) && r.out().contains(g.description()), "skci run --help names " + g.id() + ":\n" + r.out());
        }
    }

    @Test
    void anUnknownGateIdIsInvalidInputListingTheKnownOnes() {
        Cli.Result r = Cli.run("run", "x.sktrace", "--gate-timeout", "nope=5s");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown gate 'nope'; gates are " + String.join(", ", GateCatalog.ids())), r.err());
    }
}
