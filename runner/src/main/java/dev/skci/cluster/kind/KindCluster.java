package dev.skci.cluster.kind;

import dev.skci.cluster.CertManagerProcesses;
import dev.skci.cluster.Cluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A kind cluster as {@link KindProvider#up} returns it. Closing releases the client only. */
final class KindCluster implements Cluster {
    private final String name;
    private final Path kubeconfig;
    private final KubernetesClient client;
    private final String webhookHost;
    private final boolean created;
    private final CompletableFuture<Void> certManagerUp;
    private final KindComponents components;
    private final Path state;
    private final KindProvider provider;

    KindCluster(String name, Path kubeconfig, KubernetesClient client, String webhookHost, boolean created,
            CompletableFuture<Void> certManagerUp, KindComponents components, Path state, KindProvider provider) {
        this.name = name;
        this.kubeconfig = kubeconfig;
        this.client = client;
        this.webhookHost = webhookHost;
        this.created = created;
        this.certManagerUp = certManagerUp;
        this.components = components;
        this.state = state;
        this.provider = provider;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String provider() {
        return KindProvider.NAME;
    }

    @Override
    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    /** The Docker network's gateway (detected), unless --webhook-host said otherwise. */
    @Override
    public String webhookHost() {
        return webhookHost;
    }

    @Override
    public boolean bootedHere() {
        return created;
    }

    /** cert-manager's Deployments available and its webhook admitting Issuers. */
    @Override
    public void awaitComponents() {
        Cluster.join(certManagerUp);
    }

    /**
     * Component logs live in the node container; the hint names the command that shows one
     * ({@code cert-manager-cainjector.log} is the cainjector Deployment's, {@code control-plane} the static pods').
     */
    @Override
    public String logHint(String component) {
        String kubectl = "kubectl --kubeconfig " + kubeconfig + " ";
        for (KindComponents.Component c : components.all()) {
            if (c.logName().equals(component) || c.deployment().equals(component)) {
                return "'" + kubectl + "-n " + c.namespace() + " logs deployment/" + c.deployment() + "'";
            }
        }
        if (component.equals("control-plane")) {
            return "'" + kubectl + "-n kube-system logs kube-apiserver-" + KindProvider.nodeName(name) + "' (or 'kind export logs --name "
                    + name + "': the node's journal and every pod's log)";
        }
        return "'kind export logs --name " + name + "' (the node's journal and every pod's log)";
    }

    /** Fetched now, through the API, into the cluster's state directory: KWOK's, cert-manager's and the static pods' logs. */
    @Override
    public Map<String, Path> logFiles() {
        return components.fetchLogs(client, KindProvider.nodeName(name), state.resolve("logs"));
    }

    @Override
    public Optional<Path> keepLogs() {
        return provider.keepLogs(name);
    }

    /** cert-manager runs as Deployments in the cluster, not as processes skci controls. */
    @Override
    public Optional<CertManagerProcesses> certManager() {
        return Optional.empty();
    }

    @Override
    public void close() {
        certManagerUp.cancel(true);
        client.close();
    }
}
