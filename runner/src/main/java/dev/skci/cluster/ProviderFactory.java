package dev.skci.cluster;

/**
 * Registers a {@link ClusterProvider} under its name. Each provider folder has one, listed in
 * {@code META-INF/services/dev.skci.cluster.ProviderFactory}; {@link Providers} finds them with
 * {@link java.util.ServiceLoader}, so adding a provider touches nothing outside its folder but that file.
 */
public interface ProviderFactory {
    /** The {@code --provider} value. */
    String name();

    /** One line for {@code --help}. */
    String summary();

    /**
     * The provider for these options. Throws an invalid-input {@link dev.skci.SkciException} (exit 2)
     * for options this provider cannot use, e.g. a kubeconfig given to a provider that makes its own.
     */
    ClusterProvider create(ProviderOptions options);

    /**
     * Whether this provider's clusters offer {@link Cluster#hostComponents()}: known before anything boots, so a config
     * that needs them (Karpenter) on a provider without them is invalid input (exit 2), not a failure halfway.
     */
    default boolean hostComponents() {
        return false;
    }
}
