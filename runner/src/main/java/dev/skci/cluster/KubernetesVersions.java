package dev.skci.cluster;

import dev.skci.SkciException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes versions as {@code cluster.kubernetesVersion} names them: a minor ({@code "1.34"}, {@code v1.34}) or
 * an exact release ({@code v1.34.4}). A minor matches any release of it; an exact release only itself.
 */
public final class KubernetesVersions {
    /** What the config accepts (the schema has the same pattern). */
    public static final Pattern SYNTAX = Pattern.compile("v?1\\.(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))?");

    private KubernetesVersions() {}

    /** {@code v1.34} or {@code v1.34.4}; invalid input for anything else. */
    public static String normalise(String requested) {
        Matcher m = SYNTAX.matcher(requested.strip());
        if (!m.matches()) {
            throw SkciException.invalidInput("Kubernetes version '" + requested + "' is not a version: write a minor (\"1.34\") "
                    + "or a release (v1.34.4)");
        }
        return "v1." + m.group(1) + (m.group(3) == null ? "" : "." + m.group(3));
    }

    /** The minor of a version, e.g. 34. */
    public static int minor(String version) {
        Matcher m = SYNTAX.matcher(version.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Kubernetes version: " + version);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Whether a release ({@code v1.34.4}, as an API server reports it, maybe with a suffix) is what was asked for. */
    public static boolean matches(String requested, String release) {
        String want = normalise(requested);
        String have = release.strip();
        int plus = have.indexOf('+');
        have = plus > 0 ? have.substring(0, plus) : have;
        int dash = have.indexOf('-');
        have = dash > 0 ? have.substring(0, dash) : have;
        if (!SYNTAX.matcher(have).matches()) {
            return false;
        }
        have = normalise(have);
        return want.split("\\.").length == 2 ? minor(want) == minor(have) : want.equals(have);
    }

    /** The release among {@code available} that the request names, if any. */
    public static Optional<String> resolve(String requested, List<String> available) {
        return available.stream().filter(a -> matches(requested, a)).findFirst();
    }
}
