package dev.skci.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.TestData;
import dev.skci.readiness.Gate;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The declared steps of a simulation: their order, and the docs' table of them agree. */
class SimulationStepsTest {
    @Test
    void stepsRunInTheDocumentedOrder() {
        assertEquals(List.of("cluster-shape", "gates-cluster", "discover-kinds", "autoscaler", "root", "namespaces", "certificate",
                "gates-certificate", "webhook", "gates-webhook", "observe", "gates-autoscaler", "gates-probe", "setup", "replay", "judge"),
                SimulationSteps.ALL.stream().map(Step::id).toList());
    }

    @Test
    void everyGatePhaseIsPassedOnceAndInPhaseOrder() {
        List<Gate.Phase> phases = SimulationSteps.ALL.stream().filter(s -> s instanceof GatesStep)
                .map(s -> ((GatesStep) s).phase()).toList();
        assertEquals(Arrays.asList(Gate.Phase.values()), phases);
    }

    @Test
    void theArchitecturePageListsExactlyTheseSteps() throws Exception {
        String doc = Files.readString(TestData.repoRoot().resolve("docs/architecture.md"));
        String table = Docs.between(doc, "steps");
        List<String> ids = table.lines().filter(l -> l.startsWith("| `")).map(l -> l.substring(3, l.indexOf('`', 3))).toList();
        assertEquals(SimulationSteps.ALL.stream().map(Step::id).toList(), ids,
                "docs/architecture.md's step table; regenerate it from:\n" + Docs.stepTable());
        for (Step<Simulation> s : SimulationSteps.ALL) {
            assertTrue(table.contains(s.description()), "docs/architecture.md describes " + s.id() + " as: " + s.description());
        }
    }
}
