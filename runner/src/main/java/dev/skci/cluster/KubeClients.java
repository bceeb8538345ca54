package dev.skci.cluster;

import dev.skci.SkciException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** fabric8 clients built from a kubeconfig file, and a quick "is this API server alive" probe. */
public final class KubeClients {
    private KubeClients() {}

    public static KubernetesClient fromKubeconfig(Path kubeconfig) {
        return new KubernetesClientBuilder().withConfig(config(kubeconfig, 10_000)).build();
    }

    /**
     * A client for asking, again and again, whether the API server answers: short timeouts and no
     * retries, so one question never takes more than about two seconds, even against a stopped server.
     */
    public static KubernetesClient prober(Path kubeconfig) {
        Config config = config(kubeconfig, 2_000);
        config.setConnectionTimeout(1_000);
        config.setRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The API server's version, or a one-line environment error naming the server and the kubeconfig. */
    public static VersionInfo probe(Path kubeconfig) {
        Config config = config(kubeconfig, 3_000);
        // Fail fast instead of fabric8's exponential retries: this only asks "is anybody there".
        config.setRequestRetryBackoffLimit(0);
        try (KubernetesClient c = new KubernetesClientBuilder().withConfig(config).build()) {
            return c.getKubernetesVersion();
        } catch (KubernetesClientException e) {
            throw SkciException.environment("the API server at " + config.getMasterUrl() + " (kubeconfig " + kubeconfig
                    + ") is not reachable: " + rootMessage(e) + "; is the cluster running?", e);
        }
    }

    private static Config config(Path kubeconfig, int requestTimeoutMillis) {
        if (!Files.isRegularFile(kubeconfig)) {
            throw SkciException.invalidInput("kubeconfig not found: " + kubeconfig);
        }
        Config config;
        try {
            config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
        } catch (IOException | RuntimeException e) {
            throw SkciException.invalidInput("cannot read kubeconfig " + kubeconfig + ": " + rootMessage(e));
        }
        config.setConnectionTimeout(2_000);
        config.setRequestTimeout(requestTimeoutMillis);
        return config;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip();
    }
}
