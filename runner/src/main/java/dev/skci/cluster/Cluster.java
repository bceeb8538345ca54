package dev.skci.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Optional;

/** A running simulation cluster as the runner sees it. Closing it releases the client; it does not tear down. */
public interface Cluster extends AutoCloseable {
    String name();

    /** The provider that booted it: {@code local}, {@code kind} or {@code existing}. */
    String provider();

    Path kubeconfig();

    /** A client for this cluster, shared and closed with it. */
    KubernetesClient client();

    /** The address at which the API server reaches a server the runner starts on this host. */
    String webhookHost();

    /** Where component logs are, for diagnostics; empty when the provider has none on this host. */
    Optional<Path> logDir();

    /** Control over cert-manager when it runs as host processes (the local provider); empty otherwise. */
    Optional<CertManagerProcesses> certManager();

    @Override
    void close();
}
