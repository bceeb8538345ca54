package dev.skci.cluster.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The working directory of one local cluster, {@code <cache>/clusters/<name>/}:
 *
 * <pre>
 * kubeconfig            admin kubeconfig for the cluster (what `skci cluster status` prints)
 * cluster.json          what was booted: spec, versions, ports (ClusterState)
 * kwokctl.yaml          the KwokctlConfiguration skci generated
 * logs/                 cert-manager and kwokctl logs; logs/control-plane links to kwokctl's component logs
 * pids/                 pid files of the cert-manager processes
 * kwok/                 KWOK_WORKDIR: kwokctl's own state (clusters/&lt;name&gt;/{pki,etcd,logs,pids,bin})
 * </pre>
 */
public record ClusterDir(Path root, String name) {
    private static final int STALE_KEPT = 5;

    public static Path clustersRoot() {
        return PinnedVersions.cacheRoot().resolve("clusters");
    }

    public static ClusterDir of(String name) {
        return new ClusterDir(clustersRoot().resolve(name), name);
    }

    public boolean exists() {
        return Files.isDirectory(root);
    }

    public Path kubeconfig() {
        return root.resolve("kubeconfig");
    }

    public Path stateFile() {
        return root.resolve("cluster.json");
    }

    public Path kwokctlConfig() {
        return root.resolve("kwokctl.yaml");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path pids() {
        return root.resolve("pids");
    }

    /** KWOK_WORKDIR for kwokctl. */
    public Path kwokWorkdir() {
        return root.resolve("kwok");
    }

    /** Where kwokctl keeps this cluster's state. */
    public Path kwokCluster() {
        return kwokWorkdir().resolve("clusters").resolve(name);
    }

    public Path kwokKubeconfig() {
        return kwokCluster().resolve("kubeconfig.yaml");
    }

    public Path kwokPids() {
        return kwokCluster().resolve("pids");
    }

    public Path kwokLogs() {
        return kwokCluster().resolve("logs");
    }

    /** The string every process of this cluster carries in its command line. */
    public String marker() {
        return root.toString() + "/";
    }

    public void create() {
        try {
            Files.createDirectories(logs());
            Files.createDirectories(pids());
            Files.createDirectories(kwokWorkdir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root, e);
        }
    }

    /**
     * Moves the logs to {@code <clusters>/.stale/<name>-<time>/} before the directory is removed, so a
     * boot that failed (or a cluster that died) can still be diagnosed. The newest {@value #STALE_KEPT} are kept.
     */
    public Optional<Path> keepLogs() {
        Path stale = clustersRoot().resolve(".stale");
        Path to = stale.resolve(name + "-" + Instant.now().toString().replace(':', '-'));
        try {
            if (!Files.isDirectory(logs())) {
                return Optional.empty();
            }
            Files.createDirectories(stale);
            Files.move(logs(), to);
            try (var old = Files.list(stale)) {
                List<Path> all = old.sorted(Comparator.comparing(ClusterDir::modified).reversed()).toList();
                for (Path p : all.subList(Math.min(all.size(), STALE_KEPT), all.size())) {
                    new ClusterDir(p, p.getFileName().toString()).delete();
                }
            }
            return Optional.of(to);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    /** Removes the whole directory; a missing directory is fine. */
    public void delete() {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }

    private static void deleteIfExists(Path p) throws IOException {
        try {
            Files.deleteIfExists(p);
        } catch (NoSuchFileException e) {
            // removed concurrently
        }
    }
}
