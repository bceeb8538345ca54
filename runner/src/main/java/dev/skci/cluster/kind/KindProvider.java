package dev.skci.cluster.kind;

import dev.skci.SkciException;
import dev.skci.cluster.Cluster;
import dev.skci.cluster.ClusterLock;
import dev.skci.cluster.ClusterNames;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.ClusterStatus;
import dev.skci.cluster.KubeClients;
import dev.skci.cluster.StatusProbe;
import dev.skci.cluster.local.PinnedVersions;
import dev.skci.wait.Wait;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The machine image's provider (docs/design.md, "Providers"; docs/kind.md): a kind cluster in Docker from
 * skci's offline node image, with KWOK (Stage CRD on) and cert-manager (one replica each, leader election
 * off) inside, from the rendered manifests the image ships ({@link KindShare}). Nothing is pulled from a
 * registry: the node image carries every image, and {@code kind load} copies any it lacks from Docker.
 *
 * <p>{@code up} adopts a kind cluster of that name when one runs (the image's {@code skci-kind.service}
 * makes one at boot), and otherwise creates it, so {@link Cluster#bootedHere()} is true only for a cluster
 * this process created: a run tears down only what it booted. A cluster whose node container is not running
 * is deleted and made again. kind's own state is the source of truth ({@code kind get clusters}); skci keeps
 * only the kubeconfig and fetched logs under {@code <cache>/clusters/.kind/<name>/}.
 */
public final class KindProvider implements ClusterProvider {
    public static final String NAME = "kind";

    /**
     * @param createTimeout for {@code kind create cluster} (a fresh node: container start, systemd, kubeadm init)
     * @param componentTimeout for KWOK and cert-manager to become available
     */
    public record Options(Duration createTimeout, Duration componentTimeout, Duration lockTimeout) {
        public static final Options DEFAULT = new Options(Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(10));
    }

    private final Options options;
    private final Optional<String> webhookHost;
    private final Consumer<String> progress;
    private final UnaryOperator<String> env;

    /**
     * @param webhookHost where the API server reaches this host; empty detects the Docker network's gateway
     * @param env environment lookups ({@code System::getenv} outside tests): where the share directory is
     */
    public KindProvider(Options options, Optional<String> webhookHost, Consumer<String> progress, UnaryOperator<String> env) {
        this.options = options;
        this.webhookHost = webhookHost;
        this.progress = progress;
        this.env = env;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@code <cache>/clusters/.kind}: inside the directory the machine image makes writable for the skci
     * group, beside the local provider's clusters (whose names cannot start with a dot).
     */
    static Path clustersRoot() {
        return PinnedVersions.cacheRoot().resolve("clusters").resolve(".kind");
    }

    static Path stateDir(String name) {
        return clustersRoot().resolve(name);
    }

    /** kind names its single node so. */
    static String nodeName(String cluster) {
        return cluster + "-control-plane";
    }

    @Override
    public Cluster up(ClusterSpec spec) {
        String name = ClusterNames.check(spec.name());
        KindShare share = KindShare.locate(env);
        KindCli cli = KindCli.find(share.kind());
        KindComponents components = new KindComponents(share);
        try (ClusterLock lock = ClusterLock.acquire(clustersRoot().resolve(".locks"), name, options.lockTimeout())) {
            if (cli.exists(name) && !cli.running(nodeName(name)).orElse(false)) {
                progress.accept("kind cluster '" + name + "' exists but its node container is not running; deleting and "
                        + "creating it again");
                cli.delete(name, options.createTimeout());
            }
            boolean create = !cli.exists(name);
            Path state = stateDir(name);
            createDirectories(state);
            if (create) {
                create(cli, share, name, state);
            } else {
                progress.accept("kind cluster '" + name + "' is already running; adopting it");
            }
            try {
                return ready(cli, share, components, name, state, create);
            } catch (RuntimeException e) {
                if (create) {
                    Optional<Path> kept = keepLogs(cli, name);
                    deleteQuietly(cli, name, e);
                    if (e instanceof SkciException se) {
                        throw new SkciException(se.kind(), se.getMessage() + kept.map(p -> " (logs kept in " + p + ")").orElse(""), se);
                    }
                }
                throw e;
            }
        }
    }

    private void create(KindCli cli, KindShare share, String name, Path state) {
        if (!cli.imageExists(share.nodeImage())) {
            // kind would try to pull it, and no registry has skci's node image.
            throw SkciException.environment("the kind node image " + share.nodeImage() + " is not in Docker; build it with "
                    + "scripts/kind/build-node-image.sh (as root; ami-scripts/40-kind.sh on the machine image)");
        }
        Path config = state.resolve("kind-config.yaml");
        String text = KindConfig.render(share.kindConfig(), KindConfig.ownCapabilityBound());
        if (KindConfig.lacksSysResource(KindConfig.ownCapabilityBound())) {
            progress.accept("this host cannot grant CAP_SYS_RESOURCE; containerd in the node will restrict oom_score_adj");
        }
        write(config, text);
        Path kindKubeconfig = state.resolve("kind.kubeconfig");
        progress.accept("creating kind cluster '" + name + "' (" + share.nodeImage() + ")");
        long t0 = System.nanoTime();
        Command.Result r = cli.create(name, share.nodeImage(), config, kindKubeconfig, options.createTimeout());
        deleteIfExists(kindKubeconfig);
        if (!r.ok()) {
            Optional<Path> kept = keepLogs(cli, name);
            deleteQuietly(cli, name, null);
            throw SkciException.environment("kind could not create cluster '" + name + "': " + r.lastLine()
                    + kept.map(p -> " (the node's logs are kept in " + p + ")").orElse(""));
        }
        progress.accept(String.format(java.util.Locale.ROOT, "kind created the node of '%s' in %.1fs; installing KWOK and cert-manager",
                name, (System.nanoTime() - t0) / 1e9));
    }

    /** Kubeconfig, images, KWOK and cert-manager; returns once KWOK runs (cert-manager may still be starting). */
    private KindCluster ready(KindCli cli, KindShare share, KindComponents components, String name, Path state, boolean created) {
        Path kubeconfig = state.resolve("kubeconfig");
        write(kubeconfig, cli.kubeconfig(name));
        String host = webhookHost.orElseGet(() -> {
            String network = Optional.ofNullable(env.apply("KIND_EXPERIMENTAL_DOCKER_NETWORK")).filter(s -> !s.isBlank()).orElse("kind");
            return cli.gateway(network).orElseThrow(() -> SkciException.environment("cannot find the IPv4 gateway of Docker "
                    + "network '" + network + "', where kind's API server reaches this host; pass --webhook-host ADDRESS"));
        });
        Wait.poll("the API server of kind cluster '" + name + "'", options.componentTimeout()).every(Duration.ofMillis(500))
                .until(() -> {
                    KubeClients.probe(kubeconfig);
                    return null;
                });
        if (created) {
            // The node image already has them ("already present"); this covers a node image built without them.
            List<String> inDocker = share.images().stream().filter(cli::imageExists).toList();
            if (!inDocker.isEmpty()) {
                cli.load(name, inDocker, options.createTimeout());
            }
        }
        KubernetesClient client = KubeClients.fromKubeconfig(kubeconfig);
        try {
            components.install(client, options.componentTimeout());
            // cert-manager's three Deployments and its webhook come up while Clusters.up installs skci's nodes.
            CompletableFuture<Void> certManager = CompletableFuture.runAsync(() -> {
                KindComponents.awaitAvailable(client, components.certManagerComponents(), options.componentTimeout());
                KindComponents.awaitCertManagerWebhook(client, options.componentTimeout());
            });
            KindComponents.awaitAvailable(client, components.kwokComponents(), options.componentTimeout());
            return new KindCluster(name, kubeconfig, client, host, created, certManager, components, state, this);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    @Override
    public void down(String clusterName) {
        String name = ClusterNames.check(clusterName);
        KindCli cli = KindCli.find(KindShare.locateKindOnly(env));
        try (ClusterLock lock = ClusterLock.acquire(clustersRoot().resolve(".locks"), name, options.lockTimeout())) {
            if (cli.exists(name)) {
                cli.delete(name, options.createTimeout());
            }
            deleteTree(stateDir(name));
        }
    }

    @Override
    public Optional<ClusterStatus> status(String clusterName) {
        String name = ClusterNames.check(clusterName);
        KindShare share = KindShare.locate(env);
        KindCli cli = KindCli.find(share.kind());
        if (!cli.exists(name)) {
            return Optional.empty();
        }
        Path kubeconfig = stateDir(name).resolve("kubeconfig");
        List<String> problems = new ArrayList<>();
        Map<String, String> versions = new LinkedHashMap<>();
        cli.imageOf(nodeName(name)).ifPresent(i -> versions.put("node image", i));
        if (!cli.running(nodeName(name)).orElse(false)) {
            problems.add("the node container " + nodeName(name) + " is not running");
        } else {
            createDirectories(kubeconfig.getParent());
            write(kubeconfig, cli.kubeconfig(name));
            try (KubernetesClient client = KubeClients.fromKubeconfig(kubeconfig)) {
                KubeClients.probe(kubeconfig);
                problems.addAll(new KindComponents(share).problems(client));
            } catch (SkciException e) {
                // StatusProbe reports the unreachable API server
            }
        }
        if (!Files.isRegularFile(kubeconfig)) {
            return Optional.of(new ClusterStatus(name, NAME, kubeconfig, false, versions, 0, 0, 0, List.copyOf(problems)));
        }
        return Optional.of(StatusProbe.observe(name, NAME, kubeconfig, versions, problems));
    }

    Optional<Path> keepLogs(String name) {
        try {
            return keepLogs(KindCli.find(KindShare.locateKindOnly(env)), name);
        } catch (SkciException e) {
            return Optional.empty();
        }
    }

    /** {@code kind export logs} of a cluster about to be deleted, into {@code <cache>/clusters/.kind/.stale/}. */
    Optional<Path> keepLogs(KindCli cli, String name) {
        Path dir = clustersRoot().resolve(".stale").resolve(name + "-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()));
        try {
            Files.createDirectories(dir.getParent());
        } catch (IOException e) {
            return Optional.empty();
        }
        Command.Result r = cli.exportLogs(name, dir);
        return r.ok() && Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    /** Deletes the cluster this call created; a failure to do so is added to {@code cause} (or logged). */
    void deleteQuietly(KindCli cli, String name, RuntimeException cause) {
        try {
            cli.delete(name, options.createTimeout());
            deleteTree(stateDir(name));
        } catch (RuntimeException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            } else {
                progress.accept("could not delete kind cluster '" + name + "' after its failed boot: " + e.getMessage());
            }
        }
    }

    static void write(Path file, String text) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            try {
                // The cluster admin's credentials: this user and its group (on the machine image, skci's group,
                // whose members share the cluster a boot-time service made), nobody else.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-rw----"));
            } catch (UnsupportedOperationException e) {
                // not POSIX
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw SkciException.environment("cannot write " + file + ": " + e.getMessage()
                    + "; check that this user may write there, or set SKCI_CACHE_DIR to a directory it owns", e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
            } catch (UnsupportedOperationException | IOException e) {
                // someone else's directory, already shared: writing into it says whether that works
            }
        } catch (IOException e) {
            throw SkciException.environment("cannot create " + dir + ": " + e.getMessage()
                    + "; check that this user may write there, or set SKCI_CACHE_DIR to a directory it owns", e);
        }
    }

    private static void deleteIfExists(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            // kind's own copy of the kubeconfig; ours is written separately
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
