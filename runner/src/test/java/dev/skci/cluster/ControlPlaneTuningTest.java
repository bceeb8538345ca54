package dev.skci.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.skci.TestData;
import java.nio.file.Files;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The control-plane settings are declared once; docs/cluster.md shows exactly that list. */
class ControlPlaneTuningTest {
    /** The table as docs/cluster.md holds it between {@code <!-- tuning:begin -->} and {@code <!-- tuning:end -->}. */
    static String table() {
        String flags = Stream.of(ControlPlaneTuning.ALWAYS.stream().map(f -> row(f, "skci, every level")),
                ControlPlaneTuning.UNTHROTTLED_BY_KWOKCTL.stream().map(f -> row(f, "kwokctl `disableQPSLimits`")),
                ControlPlaneTuning.FLAGS.stream().map(f -> row(f, "skci")),
                ControlPlaneTuning.ENV.stream().map(e -> "| " + e.component() + " | `" + e.name() + "=" + e.value() + "` (environment) | skci | "
                        + e.why() + " |")).flatMap(s -> s).collect(Collectors.joining("\n"));
        String kwok = ControlPlaneTuning.KWOK.stream()
                .map(o -> "| kwok-controller | `" + o.name() + ": " + o.value() + "` (KwokConfiguration) | skci | " + o.why() + " |")
                .collect(Collectors.joining("\n"));
        return "\n| component | setting | set by | why |\n|---|---|---|---|\n" + flags + "\n" + kwok + "\n";
    }

    private static String row(ControlPlaneTuning.Flag f, String by) {
        return "| " + f.component() + " | `--" + f.name() + "=" + f.value() + "` | " + by + " | " + f.why() + " |";
    }

    @Test
    void docsClusterMdListsEverySetting() throws Exception {
        String doc = Files.readString(TestData.repoRoot().resolve("docs/cluster.md"));
        String begin = "<!-- tuning:begin -->";
        String end = "<!-- tuning:end -->";
        int i = doc.indexOf(begin);
        int j = doc.indexOf(end);
        assertNotEquals(-1, i, "docs/cluster.md has no " + begin + " block");
        assertEquals(table(), doc.substring(i + begin.length(), j), "docs/cluster.md's settings table; regenerate it from the code");
    }

    @Test
    void theLevelComesFromASystemPropertyAndDefaultsToTuned() {
        String before = System.getProperty(ControlPlaneTuning.PROPERTY);
        try {
            System.clearProperty(ControlPlaneTuning.PROPERTY);
            assertEquals(ControlPlaneTuning.Level.TUNED, ControlPlaneTuning.Level.current());
            System.setProperty(ControlPlaneTuning.PROPERTY, "unthrottled");
            assertEquals(ControlPlaneTuning.Level.UNTHROTTLED, ControlPlaneTuning.Level.current());
            System.setProperty(ControlPlaneTuning.PROPERTY, "fast");
            assertThrows(IllegalArgumentException.class, ControlPlaneTuning.Level::current);
        } finally {
            if (before == null) {
                System.clearProperty(ControlPlaneTuning.PROPERTY);
            } else {
                System.setProperty(ControlPlaneTuning.PROPERTY, before);
            }
        }
        assertEquals(8, ControlPlaneTuning.revision().length());
    }
}
