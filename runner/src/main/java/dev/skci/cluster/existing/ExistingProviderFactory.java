package dev.skci.cluster.existing;

import dev.skci.SkciException;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ProviderFactory;
import dev.skci.cluster.ProviderOptions;

/** Registers the existing-cluster provider (META-INF/services). */
public final class ExistingProviderFactory implements ProviderFactory {
    @Override
    public String name() {
        return ExistingProvider.NAME;
    }

    @Override
    public String summary() {
        return "adopt the cluster of --kubeconfig (it needs KWOK with Stage CRDs; cert-manager unless --webhook-cert self-signed)";
    }

    @Override
    public ClusterProvider create(ProviderOptions o) {
        return new ExistingProvider(o.kubeconfig().orElseThrow(() -> SkciException.invalidInput(
                "--provider existing needs --kubeconfig <file> of the cluster to adopt")), o.webhookHost().orElse("127.0.0.1"));
    }
}
