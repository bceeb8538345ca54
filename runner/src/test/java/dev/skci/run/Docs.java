package dev.skci.run;

import java.util.stream.Collectors;

/** Helpers for tests that check generated tables in docs/ against the declarations. */
final class Docs {
    private Docs() {}

    /** The text between {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->}. */
    static String between(String doc, String name) {
        String begin = "<!-- " + name + ":begin -->";
        String end = "<!-- " + name + ":end -->";
        int i = doc.indexOf(begin);
        int j = doc.indexOf(end);
        if (i < 0 || j < i) {
            throw new AssertionError("the page has no " + begin + " ... " + end + " block");
        }
        return doc.substring(i + begin.length(), j);
    }

    /** The step table as docs/architecture.md should hold it. */
    static String stepTable() {
        return "| step | what it does |\n|---|---|\n" + SimulationSteps.ALL.stream()
                .map(s -> "| `" + s.id() + "` | " + s.description() + " |").collect(Collectors.joining("\n")) + "\n";
    }
}
