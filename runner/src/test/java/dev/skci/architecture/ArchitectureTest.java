package dev.skci.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Data flows one way (docs/architecture.md): each top-level package of the runner may use only the
 * packages below it in {@link #LAYERS}. Read from the sources, so a new import that reaches back up
 * fails here, naming the file.
 */
class ArchitectureTest {
    /** Bottom first. "" is the root package (SkciException, ExitCode). */
    static final List<String> LAYERS = List.of("", "wait", "source", "trace", "cluster", "autoscaler", "sim", "certs", "webhook", "readiness",
            "override", "replay", "setup", "preflight", "observe", "verdict", "config", "result", "diagnostics", "report", "run", "cli");

    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.skci\\.([a-z]+)\\.|\\bdev\\.skci\\.([A-Z]\\w*)\\b");

    /** package -> (used package -> first file that uses it). */
    private static Map<String, Map<String, String>> uses() throws IOException {
        Path main = TestData.repoRoot().resolve("runner/src/main/java/dev/skci");
        Map<String, Map<String, String>> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path rel = main.relativize(f);
                String pkg = rel.getNameCount() == 1 ? "" : rel.getName(0).toString();
                Matcher m = REFERENCE.matcher(Files.readString(f));
                while (m.find()) {
                    String used = m.group(1) != null ? m.group(1) : "";
                    if (!used.equals(pkg)) {
                        out.computeIfAbsent(pkg, k -> new TreeMap<>()).putIfAbsent(used, rel.toString());
                    }
                }
                out.computeIfAbsent(pkg, k -> new TreeMap<>());
            }
        }
        return out;
    }

    @Test
    void everyPackageIsInTheLayering() throws IOException {
        assertEquals(new TreeSet<>(LAYERS), new TreeSet<>(uses().keySet()),
                "a package was added or removed: place it in ArchitectureTest.LAYERS and docs/architecture.md");
    }

    @Test
    void packagesOnlyUseThoseBelowThem() throws IOException {
        List<String> violations = new ArrayList<>();
        uses().forEach((pkg, used) -> used.forEach((dep, file) -> {
            if (LAYERS.indexOf(dep) > LAYERS.indexOf(pkg)) {
                violations.add(name(pkg) + " -> " + name(dep) + " (" + file + ")");
            }
        }));
        assertTrue(violations.isEmpty(), "references that go up the layering (data must flow one way):\n  "
                + String.join("\n  ", violations));
    }

    @Test
    void theArchitecturePageShowsTheSameLayersInTheSameOrder() throws IOException {
        String doc = Files.readString(TestData.repoRoot().resolve("docs/architecture.md"));
        List<String> drawn = new ArrayList<>();
        for (String line : doc.lines().toList()) {
            for (String p : LAYERS) {
                if (line.startsWith(name(p) + " ")) {
                    drawn.add(p);
                }
            }
        }
        List<String> topFirst = new ArrayList<>(LAYERS);
        java.util.Collections.reverse(topFirst);
        assertEquals(topFirst, drawn, "docs/architecture.md draws the packages top first, one line each");
    }

    private static String name(String pkg) {
        return pkg.isEmpty() ? "dev.skci" : pkg;
    }
}
