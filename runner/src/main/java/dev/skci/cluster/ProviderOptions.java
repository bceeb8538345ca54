package dev.skci.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The flags every provider is created from (shared by {@code skci run} and {@code skci cluster}).
 *
 * @param kubeconfig the cluster to adopt ({@code existing}); providers that make their own refuse it
 * @param webhookHost where the cluster's API server reaches a server skci starts on this host; empty
 *     lets the provider decide (loopback for {@code local}, the Docker gateway for {@code kind})
 * @param apiServerPort the local API server's port; 0 picks a free one
 * @param bootTimeout how long booting may take
 * @param progress where progress lines go (one line each, no prefix)
 */
public record ProviderOptions(Optional<Path> kubeconfig, Optional<String> webhookHost, int apiServerPort,
        Duration bootTimeout, Consumer<String> progress) {
    public static final Duration DEFAULT_BOOT_TIMEOUT = Duration.ofSeconds(120);

    public ProviderOptions {
        Objects.requireNonNull(kubeconfig);
        Objects.requireNonNull(webhookHost);
        Objects.requireNonNull(progress);
    }

    public static ProviderOptions defaults(Consumer<String> progress) {
        return new ProviderOptions(Optional.empty(), Optional.empty(), 0, DEFAULT_BOOT_TIMEOUT, progress);
    }

    public ProviderOptions withKubeconfig(Path p) {
        return new ProviderOptions(Optional.of(p), webhookHost, apiServerPort, bootTimeout, progress);
    }

    public ProviderOptions withWebhookHost(String host) {
        return new ProviderOptions(kubeconfig, Optional.of(host), apiServerPort, bootTimeout, progress);
    }

    public ProviderOptions withApiServerPort(int port) {
        return new ProviderOptions(kubeconfig, webhookHost, port, bootTimeout, progress);
    }
}
