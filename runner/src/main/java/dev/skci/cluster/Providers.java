package dev.skci.cluster;

import dev.skci.SkciException;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The registry of cluster providers: every {@link ProviderFactory} on the class path, by name. */
public final class Providers {
    /** The embedded default: no Docker needed. */
    public static final String DEFAULT = "local";

    private static final List<ProviderFactory> ALL = ServiceLoader.load(ProviderFactory.class, Providers.class.getClassLoader())
            .stream().map(ServiceLoader.Provider::get).toList();

    private Providers() {}

    public static List<ProviderFactory> all() {
        return ALL;
    }

    /** The factory registered as {@code name}; an unknown name is invalid input listing the known ones. */
    public static ProviderFactory named(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> SkciException.invalidInput("unknown provider '" + name + "'; use " + names()));
    }

    /** The provider called {@code name}, created from {@code options}. */
    public static ClusterProvider create(String name, ProviderOptions options) {
        return named(name).create(options);
    }

    /** "local, existing or kind", for messages and help. */
    public static String names() {
        List<String> n = ALL.stream().map(ProviderFactory::name).toList();
        if (n.size() <= 1) {
            return String.join("", n);
        }
        return String.join(", ", n.subList(0, n.size() - 1)) + " or " + n.getLast();
    }

    /** One line per provider, for {@code --help}. */
    public static String summaries() {
        return ALL.stream().map(f -> f.name() + ": " + f.summary()).collect(Collectors.joining("; "));
    }

    /** For providers that make their own kubeconfig. */
    public static void refuseKubeconfig(String provider, ProviderOptions options) {
        if (options.kubeconfig().isPresent()) {
            throw SkciException.invalidInput("--kubeconfig is only for --provider existing (the " + provider
                    + " provider makes its own)");
        }
    }
}
