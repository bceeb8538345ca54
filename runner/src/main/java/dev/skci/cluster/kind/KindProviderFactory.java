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
        return "a kind cluster in Docker from skci's offline node image, with KWOK and cert-manager inside (needs Docker)";
    }

    @Override
    public ClusterProvider create(ProviderOptions o) {
        Providers.refuseKubeconfig(KindProvider.NAME, o);
        if (o.apiServerPort() != 0) {
            throw dev.skci.SkciException.invalidInput("--api-port is for --provider local; kind chooses the API server's port");
        }
        return new KindProvider(KindProvider.Options.DEFAULT, o.webhookHost(), o.progress(), System::getenv);
    }
}
