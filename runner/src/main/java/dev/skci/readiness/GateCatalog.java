package dev.skci.readiness;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every readiness gate, in the order a run passes them: the one declaration behind the run's steps,
 * the ids {@code --gate-timeout} accepts, {@code skci run --help} and the table in docs/replay.md
 * ({@code GateCatalogTest} checks that the docs agree).
 */
public final class GateCatalog {
    public static final List<Gate> ALL = List.of(
            new ApiServerGate(),
            new KwokGate(),
            new VirtualNodesGate(),
            new CertManagerGate(),
            new IssuersGate(),
            new CertificateGate(),
            new SecretGate(),
            new CaBundleGate(),
            new WebhookServingGate(),
            new AutoscalerGate(),
            new ProbeGate());

    private GateCatalog() {}

    public static List<Gate> of(Gate.Phase phase) {
        return ALL.stream().filter(g -> g.phase() == phase).toList();
    }

    public static List<String> ids() {
        return ALL.stream().map(Gate::id).toList();
    }

    public static boolean known(String id) {
        return ids().contains(id);
    }

    /** One line per gate: id, default timeout, what it proves (for --help). */
    public static List<String> helpLines() {
        int w = ALL.stream().mapToInt(g -> g.id().length()).max().orElse(10);
        return ALL.stream().map(g -> String.format(Locale.ROOT, "  %-" + w + "s  %4s  %s", g.id(), seconds(g.defaultTimeout()),
                g.description())).toList();
    }

    /** The docs' table (Markdown), generated from the same declaration. */
    public static String markdownTable() {
        return "| gate | default timeout | proves |\n|---|---|---|\n" + ALL.stream()
                .map(g -> "| `" + g.id() + "` | " + seconds(g.defaultTimeout()) + " | " + g.description() + " |")
                .collect(Collectors.joining("\n")) + "\n";
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + "s";
    }
}
