package dev.skci.autoscaler;

import dev.skci.SkciException;
import dev.skci.cluster.local.PinnedVersions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * Karpenter's KWOK provider and its CRDs, as scripts/build-karpenter.sh leaves them: {@code <cache>/bin/karpenter-<v>/},
 * the version pinned in tools/versions.env (packaged into the jar, like the control plane's).
 */
public record KarpenterBinaries(Path dir, String version) {
    /** Keep identical to the list in scripts/build-karpenter.sh. */
    public static final List<String> FILES = List.of("karpenter-kwok", "karpenter-crds.yaml");
    public static final String SETUP_COMMAND = "scripts/build-karpenter.sh";
    private static final String RESOURCE = "/dev/skci/tools/versions.env";

    public static KarpenterBinaries pinned() {
        Properties p = new Properties();
        try (InputStream in = KarpenterBinaries.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the runner jar; rebuild it");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String v = p.getProperty("KARPENTER_VERSION");
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("KARPENTER_VERSION is missing from " + RESOURCE);
        }
        return new KarpenterBinaries(PinnedVersions.cacheRoot().resolve("bin").resolve("karpenter-" + v), v);
    }

    public List<String> missing() {
        return FILES.stream().filter(f -> !Files.exists(dir.resolve(f))).toList();
    }

    /** Fails with one line naming the build command (exit 3: the environment lacks it) when a file is missing. */
    public KarpenterBinaries require() {
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            throw SkciException.environment("Karpenter " + version + " is not built (" + String.join(", ", missing) + " missing in "
                    + dir + "); the config asks for cluster.autoscaler.karpenter: build it once with " + SETUP_COMMAND);
        }
        return this;
    }

    public Path controller() {
        return dir.resolve("karpenter-kwok");
    }

    public Path crds() {
        return dir.resolve("karpenter-crds.yaml");
    }
}
