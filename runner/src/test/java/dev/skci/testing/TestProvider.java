package dev.skci.testing;

import java.util.Locale;

/**
 * Which provider the cluster tests of this JVM run on: {@code local} (the default suite) or {@code kind}
 * (the kind stage, scripts/stages/kind.sh, with {@code -Dskci.test.provider=kind}). On kind only tests
 * marked {@link OnKind} run; the stage selects them by their tag.
 */
public enum TestProvider {
    LOCAL, KIND;

    public static final String PROPERTY = "skci.test.provider";

    public static TestProvider current() {
        String v = System.getProperty(PROPERTY, "local").strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "local" -> LOCAL;
            case "kind" -> KIND;
            default -> throw new IllegalStateException("-D" + PROPERTY + "=" + v + ": use local or kind");
        };
    }
}
