package dev.skci.cluster.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The pinned binary versions from {@code tools/versions.env}, which is packaged into the jar. The
 * cache key derived here must match {@code scripts/build-binaries.sh}.
 */
public record PinnedVersions(String kubernetes, String etcd, String kwok, String certManager) {

    private static final String RESOURCE = "/dev/skci/tools/versions.env";

    public static PinnedVersions load() {
        Properties p = properties();
        return new PinnedVersions(
                p.getProperty("KUBERNETES_VERSION"),
                p.getProperty("ETCD_VERSION"),
                p.getProperty("KWOK_VERSION"),
                p.getProperty("CERT_MANAGER_VERSION"));
    }

    private static Properties properties() {
        Properties p = new Properties();
        try (InputStream in = PinnedVersions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the runner jar; rebuild it");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /**
     * Every Kubernetes release the local provider can run: the pinned default first, then the others
     * ({@code KUBERNETES_EXTRA_VERSIONS}), each built on demand by scripts/build-binaries.sh --kubernetes.
     */
    public static java.util.List<String> kubernetesReleases() {
        Properties p = properties();
        java.util.List<String> out = new java.util.ArrayList<>();
        out.add(p.getProperty("KUBERNETES_VERSION"));
        for (String v : p.getProperty("KUBERNETES_EXTRA_VERSIONS", "").replace("\"", "").trim().split("\\s+")) {
            if (!v.isEmpty()) {
                out.add(v);
            }
        }
        return java.util.List.copyOf(out);
    }

    /** The same set with another Kubernetes release (the other binaries are the pinned ones). */
    public PinnedVersions withKubernetes(String release) {
        return new PinnedVersions(release, etcd, kwok, certManager);
    }

    /** Same key as scripts/build-binaries.sh, so the runner finds what the script built. */
    public String cacheKey() {
        return "k8s-" + kubernetes + "_etcd-" + etcd + "_kwok-" + kwok + "_cm-" + certManager;
    }

    /** {@code $SKCI_CACHE_DIR}, else {@code $XDG_CACHE_HOME/skci}, else {@code ~/.cache/skci}. */
    public static Path cacheRoot() {
        String explicit = System.getenv("SKCI_CACHE_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("skci");
    }

    public Path binDir() {
        return cacheRoot().resolve("bin").resolve(cacheKey());
    }
}
