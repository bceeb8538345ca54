package dev.skci.cluster;

import dev.skci.SkciException;
import dev.skci.cluster.existing.ExistingProvider;
import dev.skci.cluster.kind.KindProvider;
import dev.skci.cluster.local.BinarySet;
import dev.skci.cluster.local.LocalProvider;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/** The cluster providers by name, for the CLI and the runner. */
public final class Providers {
    public static final String DEFAULT = LocalProvider.NAME;

    private Providers() {}

    /** The local provider with the pinned binaries; progress lines go to {@code progress}. */
    public static LocalProvider local(LocalProvider.Options options, Consumer<String> progress) {
        return new LocalProvider(BinarySet.pinned(), options, progress);
    }

    public static LocalProvider local() {
        return new LocalProvider();
    }

    public static ExistingProvider existing(Path kubeconfig, String webhookHost) {
        return new ExistingProvider(kubeconfig, webhookHost);
    }

    public static KindProvider kind() {
        return new KindProvider();
    }

    /**
     * A provider by its name ({@code local}, {@code existing}, {@code kind}); {@code existing} needs a
     * kubeconfig, the others must not get one.
     */
    public static ClusterProvider named(String name, Optional<Path> kubeconfig, LocalProvider.Options localOptions,
            Consumer<String> progress) {
        return switch (name) {
            case LocalProvider.NAME -> {
                rejectKubeconfig(name, kubeconfig);
                yield local(localOptions, progress);
            }
            case ExistingProvider.NAME -> existing(kubeconfig.orElseThrow(() -> SkciException.invalidInput(
                    "--provider existing needs --kubeconfig <file> of the cluster to adopt")), "127.0.0.1");
            case KindProvider.NAME -> {
                rejectKubeconfig(name, kubeconfig);
                yield kind();
            }
            default -> throw SkciException.invalidInput("unknown provider '" + name + "'; use local, existing or kind");
        };
    }

    private static void rejectKubeconfig(String provider, Optional<Path> kubeconfig) {
        if (kubeconfig.isPresent()) {
            throw SkciException.invalidInput("--kubeconfig is only for --provider existing (the " + provider
                    + " provider makes its own)");
        }
    }
}
