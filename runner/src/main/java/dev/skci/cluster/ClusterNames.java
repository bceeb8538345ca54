package dev.skci.cluster;

import dev.skci.SkciException;
import java.util.regex.Pattern;

/** Cluster names become directory names, kwokctl cluster names and kubeconfig contexts: keep them plain. */
public final class ClusterNames {
    private static final Pattern VALID = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

    private ClusterNames() {}

    /** Returns the name, or fails with exit 2 saying what a name may contain. */
    public static String check(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw SkciException.invalidInput("invalid cluster name '" + name
                    + "': use 1-40 lower-case letters, digits and '-', starting and ending with a letter or digit");
        }
        return name;
    }
}
