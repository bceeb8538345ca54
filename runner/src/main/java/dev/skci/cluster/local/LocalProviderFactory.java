package dev.skci.cluster.local;

import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ProviderFactory;
import dev.skci.cluster.ProviderOptions;
import dev.skci.cluster.Providers;

/** Registers the local provider (META-INF/services). */
public final class LocalProviderFactory implements ProviderFactory {
    @Override
    public String name() {
        return LocalProvider.NAME;
    }

    @Override
    public String summary() {
        return "the default; a real control plane as processes on this host, no Docker needed";
    }

    @Override
    public ClusterProvider create(ProviderOptions o) {
        Providers.refuseKubeconfig(LocalProvider.NAME, o);
        if (o.webhookHost().isPresent() && !o.webhookHost().get().equals("127.0.0.1")) {
            throw dev.skci.SkciException.invalidInput("--webhook-host is for --provider existing or kind; the local cluster reaches "
                    + "this host on 127.0.0.1");
        }
        LocalProvider.Options options = new LocalProvider.Options(o.apiServerPort(), o.bootTimeout(),
                LocalProvider.Options.DEFAULT.lockTimeout());
        return new LocalProvider(BinarySet.pinned(), options, o.progress());
    }

    /** The cluster is skci's own: components such as Karpenter run beside it as host processes. */
    @Override
    public boolean hostComponents() {
        return true;
    }
}
