package dev.skci.sim;

import dev.skci.SkciException;
import java.util.regex.Pattern;

/**
 * Maps trace namespaces to the run's virtual namespaces ({@code <prefix>-<original>}) and checks that
 * every name is a valid namespace name before anything touches the cluster (SimKube does not check,
 * and fails mid-run on names longer than 63 characters).
 */
public record VirtualNamespaces(String prefix) {
    public static final String DEFAULT_PREFIX = "virtual";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final int MAX_LENGTH = 63;

    public VirtualNamespaces {
        if (!DNS_LABEL.matcher(prefix).matches() || prefix.length() > MAX_LENGTH - 2) {
            throw SkciException.invalidInput("namespace prefix '" + prefix + "' must be a lowercase DNS label of at most "
                    + (MAX_LENGTH - 2) + " characters (letters, digits, '-'); see --namespace-prefix");
        }
    }

    public String virtualName(String original) {
        return prefix + "-" + original;
    }

    /** The original namespace of a virtual one, or null when the name does not carry this prefix. */
    public String originalName(String virtual) {
        String p = prefix + "-";
        return virtual != null && virtual.startsWith(p) ? virtual.substring(p.length()) : null;
    }

    /** Throws an invalid-input error when the virtual name for {@code original} cannot exist. */
    public void check(String original) {
        String v = virtualName(original);
        if (v.length() > MAX_LENGTH) {
            throw SkciException.invalidInput("virtual namespace '" + v + "' for trace namespace '" + original + "' is "
                    + v.length() + " characters; Kubernetes allows " + MAX_LENGTH + ". Use a shorter --namespace-prefix");
        }
        if (!DNS_LABEL.matcher(v).matches()) {
            throw SkciException.invalidInput("trace namespace '" + original + "' gives the invalid namespace name '" + v + "'");
        }
    }
}
