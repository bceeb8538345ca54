package dev.skci.cluster.kind;

import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ProviderFactory;
import dev.skci.cluster.ProviderOptions;
import dev.skci.cluster.Providers;

/** Registers the kind provider (META-INF/services). */
public final class KindProviderFactory implements ProviderFactory {
    @Override
    public String name() {
        return KindProvider.NAME;
    }

    @Override
    public String summary() {
        return "a kind cluster in Docker with KWOK and cert-manager inside (the machine image's default)";
    }

    @Override
    public ClusterProvider create(ProviderOptions o) {
        Providers.refuseKubeconfig(KindProvider.NAME, o);
        return new KindProvider();
    }
}
