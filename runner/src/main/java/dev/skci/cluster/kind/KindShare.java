package dev.skci.cluster.kind;

import dev.skci.SkciException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What a kind cluster of skci's is made from, in one directory, as {@code ami-scripts/40-kind.sh} puts it on
 * the machine image ({@code $SKCI_SHARE_DIR/kind}) and {@code scripts/kind/share-dir.sh} makes it in a
 * checkout: the node image's name, the kind config (kubeadm patches for the controller manager and the
 * scheduler), the rendered KWOK and cert-manager manifests and the images they run. The same files the
 * image's {@code kind-cluster.sh} uses, so both make the same cluster.
 *
 * @param kind the kind binary to use: {@code bin/kind} beside the files when share-dir.sh linked one, else
 *     {@code kind} on the PATH
 */
record KindShare(Path dir, String nodeImage, Path kindConfig, Path kwokManifest, Path certManagerManifest,
        List<String> images, String kind) {

    static final String DIR_PROPERTY = "skci.kind.shareDir";
    static final String DIR_ENV = "SKCI_KIND_SHARE_DIR";
    private static final List<String> FILES = List.of("node-image", "kind-config.yaml", "kwok.yaml", "cert-manager.yaml",
            "images.txt");

    /**
     * Finds the directory, in this order: {@code -Dskci.kind.shareDir} or {@code $SKCI_KIND_SHARE_DIR} (the
     * directory itself or its parent); {@code $SKCI_SHARE_DIR/kind} and {@code $SKCI_HOME/share/kind} (the
     * machine image; bin/skci sets SKCI_HOME); in a source checkout ({@code $SKCI_HOME/scripts/kind/share-dir.sh}
     * exists) what that script prints, which it makes once per node image. Missing is exit 3, saying what to run.
     *
     * @param env environment lookups ({@code System::getenv} outside tests)
     */
    static KindShare locate(UnaryOperator<String> env) {
        List<String> looked = new ArrayList<>();
        String explicit = System.getProperty(DIR_PROPERTY);
        if (explicit == null || explicit.isBlank()) {
            explicit = env.apply(DIR_ENV);
        }
        if (explicit != null && !explicit.isBlank()) {
            Path d = Path.of(explicit);
            return usable(d).or(() -> usable(d.resolve("kind"))).map(KindShare::read)
                    .orElseThrow(() -> SkciException.environment(DIR_ENV + "=" + d + " holds no kind share directory (it needs "
                            + String.join(", ", FILES) + "); make one with scripts/kind/share-dir.sh"));
        }
        for (String var : List.of("SKCI_SHARE_DIR", "SKCI_HOME")) {
            String v = env.apply(var);
            if (v != null && !v.isBlank()) {
                Path d = var.equals("SKCI_HOME") ? Path.of(v, "share", "kind") : Path.of(v, "kind");
                looked.add(d.toString());
                Optional<Path> found = usable(d);
                if (found.isPresent()) {
                    return read(found.get());
                }
            }
        }
        String home = env.apply("SKCI_HOME");
        if (home != null && !home.isBlank() && Files.isRegularFile(Path.of(home, "scripts", "kind", "share-dir.sh"))) {
            Path script = Path.of(home, "scripts", "kind", "share-dir.sh");
            Command.Result r = new Command(List.of("bash", script.toString()), Duration.ofMinutes(5)).run();
            if (!r.ok()) {
                throw SkciException.environment("the kind provider needs skci's kind node image and manifests; "
                        + "scripts/kind/share-dir.sh says: " + r.lastLine());
            }
            Path d = Path.of(r.output().strip()).resolve("kind");
            return usable(d).map(KindShare::read).orElseThrow(() -> SkciException.environment(
                    "scripts/kind/share-dir.sh printed " + d.getParent() + ", which holds no kind share directory"));
        }
        throw SkciException.environment("the kind provider needs skci's kind node image and manifests, and found none"
                + (looked.isEmpty() ? "" : " (looked in " + String.join(", ", looked) + ")")
                + ": in a source checkout run bin/skci (it finds them through scripts/kind/share-dir.sh, after "
                + "scripts/kind/build-node-image.sh as root), or set " + DIR_ENV + "; the machine image has them in "
                + "/opt/skci/share/kind (ami-scripts/40-kind.sh)");
    }

    /**
     * The kind binary alone, for {@code down}, which must work even when the node image or the manifests are
     * gone: the share directory's, else the newest one scripts/kind/build-binaries.sh built, else {@code kind}.
     */
    static String locateKindOnly(UnaryOperator<String> env) {
        try {
            return locate(env).kind();
        } catch (SkciException | UncheckedIOException e) {
            Path bins = dev.skci.cluster.local.PinnedVersions.cacheRoot().resolve("kind").resolve("bin");
            try (var dirs = Files.list(bins)) {
                return dirs.map(d -> d.resolve("kind")).filter(Files::isExecutable)
                        .max(java.util.Comparator.comparing(KindShare::modified)).map(Path::toString).orElse("kind");
            } catch (IOException | UncheckedIOException none) {
                return "kind";
            }
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Path> usable(Path d) {
        return FILES.stream().allMatch(f -> Files.isRegularFile(d.resolve(f))) ? Optional.of(d) : Optional.empty();
    }

    static KindShare read(Path d) {
        try {
            String image = Files.readString(d.resolve("node-image")).strip();
            if (image.isEmpty() || image.chars().anyMatch(Character::isWhitespace)) {
                throw SkciException.environment(d.resolve("node-image") + " does not hold one image name; rebuild it with "
                        + "scripts/kind/share-dir.sh");
            }
            List<String> images = Files.readAllLines(d.resolve("images.txt")).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            Path bin = d.resolve("bin").resolve("kind");
            String kind = Files.isExecutable(bin) ? bin.toString() : "kind";
            return new KindShare(d, image, d.resolve("kind-config.yaml"), d.resolve("kwok.yaml"), d.resolve("cert-manager.yaml"),
                    images, kind);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kind share directory " + d, e);
        }
    }
}
