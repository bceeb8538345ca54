package dev.skci.cluster.local;

import dev.skci.SkciException;
import dev.skci.cluster.ClusterLock;
import dev.skci.cluster.ClusterNames;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.ControlPlaneTuning;
import dev.skci.cluster.ClusterStatus;
import dev.skci.cluster.KubeClients;
import dev.skci.cluster.LogDirs;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import dev.skci.wait.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default provider (docs/design.md, "Providers"): a real control plane as host processes started by KWOK's
 * {@code kwokctl --runtime binary}, everything on loopback, one working directory per cluster under
 * {@code <cache>/clusters/<name>/} (see {@link ClusterDir}); cert-manager's controller and cainjector run
 * beside it as host processes ({@link LocalCertManager}).
 *
 * <p>{@code up} adopts a healthy cluster of the same name, and cleans up and re-creates one whose
 * directory was left behind by a killed run. {@code down} ends every process of the cluster (by pid
 * file, then by a sweep of /proc for command lines that contain the working directory) and removes
 * the directory.
 */
public final class LocalProvider implements ClusterProvider {
    public static final String NAME = "local";
    private static final Logger LOG = LoggerFactory.getLogger(LocalProvider.class);

    /** Tunables; {@code apiServerPort} 0 lets kwokctl choose a free port. */
    public record Options(int apiServerPort, Duration bootTimeout, Duration lockTimeout) {
        public static final Options DEFAULT = new Options(0, Duration.ofSeconds(120), Duration.ofMinutes(5));

        public Options withApiServerPort(int port) {
            return new Options(port, bootTimeout, lockTimeout);
        }
    }

    private final BinarySet bins;
    private final Options options;
    private final Consumer<String> progress;

    public LocalProvider(BinarySet bins, Options options, Consumer<String> progress) {
        this.bins = bins;
        this.options = options;
        this.progress = progress;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LocalCluster up(ClusterSpec spec) {
        ClusterNames.check(spec.name());
        ClusterDir dir = ClusterDir.of(spec.name());
        if (!dir.exists()) {
            checkPortFree(options.apiServerPort()); // a clash is reported even where binaries are missing
        }
        BinarySet set = binariesFor(spec.kubernetesVersion());
        set.require();
        try (ClusterLock lock = ClusterLock.acquire(locks(), spec.name(), options.lockTimeout())) {
            if (dir.exists()) {
                Optional<Problem> problem = health(dir, API_PATIENCE);
                if (problem.isPresent() && ClusterState.read(dir.stateFile()).isPresent()) {
                    problem = restartStopped(dir, problem.get());
                }
                if (problem.isEmpty()) {
                    String running = ClusterState.read(dir.stateFile()).map(st -> st.versions().kubernetes()).orElse("?");
                    if (spec.kubernetesVersion().isPresent() && !running.equals(set.versions().kubernetes())) {
                        throw SkciException.invalidInput("cluster '" + spec.name() + "' already runs Kubernetes " + running + ", not "
                                + set.versions().kubernetes() + " as asked (cluster.kubernetesVersion); remove it first ('skci cluster "
                                + "down --name " + spec.name() + "') or give another --name");
                    }
                    progress.accept("cluster '" + spec.name() + "' is already running; adopting it");
                    return adopt(dir, spec, set);
                }
                if (problem.get().apiOnly()) {
                    // Every process runs: a live cluster under load or stopped for a moment (another job's
                    // cluster, a debugger). Rebuilding it would destroy what that job runs; fail closed instead.
                    throw SkciException.environment("cluster '" + spec.name() + "' runs, but its API server did not answer within "
                            + API_PATIENCE.toSeconds() + "s; retry, or 'skci cluster down --name " + spec.name()
                            + "' to remove it (logs in " + dir.logs() + ")");
                }
                progress.accept("found a stale directory for cluster '" + spec.name() + "' (" + problem.get().message() + "); cleaning it up"
                        + " and booting the cluster again" + dir.keepLogs().map(p -> "; its logs are kept in " + p).orElse(""));
                teardown(dir);
            }
            return boot(dir, spec, set);
        }
    }

    /** The binaries of the Kubernetes release asked for (a minor or a release of those pinned), else the default set. */
    BinarySet binariesFor(Optional<String> kubernetesVersion) {
        if (kubernetesVersion.isEmpty()) {
            return bins;
        }
        String release = resolve(kubernetesVersion.get());
        return release.equals(bins.versions().kubernetes()) ? bins : BinarySet.forKubernetes(release);
    }

    /** The pinned release a request names; invalid input listing what is pinned for anything else. */
    static String resolve(String requested) {
        List<String> releases = PinnedVersions.kubernetesReleases();
        return dev.skci.cluster.KubernetesVersions.resolve(requested, releases).orElseThrow(() -> SkciException.invalidInput(
                "Kubernetes " + requested + " is not one the local provider runs; it has " + String.join(", ", releases)
                        + " (" + releases.getFirst() + " is the default; the others are built on first use; tools/versions.env pins them)"));
    }

    @Override
    public Optional<String> defaultKubernetesVersion() {
        return Optional.of(bins.versions().kubernetes());
    }

    /**
     * Every version asked for is pinned and its binaries are there (an extra release is built now, minutes the first
     * time, when they are not), and kube-scheduler of that version accepts every scheduler configuration. The default
     * set is never built here: missing, it is exit 3 naming scripts/build-binaries.sh, as everywhere else.
     */
    @Override
    public void check(List<dev.skci.cluster.ClusterShape> shapes) {
        for (dev.skci.cluster.ClusterShape s : shapes) {
            BinarySet set = binariesFor(s.kubernetesVersion());
            if (set != bins && !set.missing().isEmpty()) {
                BinaryBuild.run(set, progress);
            }
            s.scheduler().ifPresent(c -> LocalScheduler.validate(set.require(), c));
        }
    }

    @Override
    public Optional<String> capacityKey() {
        return Optional.of("local " + PinnedVersions.load().cacheKey() + " control-plane " + ControlPlaneTuning.revision() + " "
                + ControlPlaneTuning.Level.current().name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public void down(String clusterName) {
        ClusterNames.check(clusterName);
        try (ClusterLock lock = ClusterLock.acquire(locks(), clusterName, options.lockTimeout())) {
            teardown(ClusterDir.of(clusterName));
        }
    }

    @Override
    public Optional<ClusterStatus> status(String clusterName) {
        ClusterNames.check(clusterName);
        ClusterDir dir = ClusterDir.of(clusterName);
        if (!dir.exists()) {
            return Optional.empty();
        }
        return Optional.of(ClusterStatusReader.read(dir, bins, health(dir).map(Problem::message)));
    }

    /**
     * A cluster whose component died (killed, crashed, lost its lease in older skci versions) is repaired
     * rather than rebuilt: the stopped components are started again with their old flags, and the
     * cluster is adopted if that makes it healthy. Returns what is still wrong, if anything.
     */
    private Optional<Problem> restartStopped(ClusterDir dir, Problem problem) {
        // The cluster's own binaries: it may run another Kubernetes release than the default set.
        BinarySet own = ClusterState.read(dir.stateFile()).map(st -> new BinarySet(Path.of(st.binDir()), st.versions())).orElse(bins);
        LocalComponents components = new LocalComponents(own, dir, new LocalCertManager(own, dir));
        List<String> stopped = components.stopped();
        // Nothing of it runs (the machine rebooted, every process was killed): nothing is left to repair,
        // and a fresh boot (seconds) is safer than etcd's state from before the crash; its logs are kept.
        boolean allDead = stopped.size() == components.list().size();
        if (stopped.isEmpty() || allDead || !Files.isDirectory(dir.kwokCluster())) {
            return Optional.of(problem);
        }
        progress.accept("cluster '" + dir.name() + "': " + String.join(", ", stopped) + (stopped.size() == 1 ? " is" : " are")
                + " not running; restarting " + (stopped.size() == 1 ? "it" : "them"));
        try (KubernetesClient client = KubeClients.fromKubeconfig(dir.kubeconfig())) {
            components.restartStopped(client);
        } catch (SkciException e) {
            return Optional.of(new Problem(problem.message() + "; restarting failed: " + e.getMessage(), false));
        }
        Optional<Problem> still = health(dir, API_PATIENCE);
        if (still.isEmpty()) {
            progress.accept("cluster '" + dir.name() + "': restarted " + String.join(", ", stopped));
        }
        return still;
    }

    /**
     * What keeps the cluster in a directory from being usable.
     *
     * @param apiOnly every process runs but the API server does not answer: a live cluster under load or paused, never
     *     to be rebuilt (it may be another job's)
     */
    record Problem(String message, boolean apiOnly) {
        static final Problem API_UNREACHABLE = new Problem("API server not reachable", true);
    }

    /** How long {@code up} waits for the API server of a cluster whose processes all run. */
    private static final Duration API_PATIENCE = Duration.ofSeconds(30);

    /** What keeps the cluster in {@code dir} from being usable, or empty when it is healthy (one probe). */
    Optional<Problem> health(ClusterDir dir) {
        return health(dir, Duration.ZERO);
    }

    /**
     * Like {@link #health(ClusterDir)}, but an API server that does not answer while every process runs is
     * asked again for up to {@code patience}: a loaded machine or a paused server is not a stale cluster.
     */
    Optional<Problem> health(ClusterDir dir, Duration patience) {
        Optional<Problem> problem = healthOnce(dir);
        if (problem.isPresent() && problem.get().apiOnly() && patience.isPositive()) {
            progress.accept("cluster '" + dir.name() + "' runs but its API server does not answer yet; waiting up to "
                    + patience.toSeconds() + "s");
            Optional<Problem>[] last = new Optional[] {problem};
            Wait.poll("the API server of cluster '" + dir.name() + "'", patience).every(Duration.ofSeconds(1))
                    .tryUntil(() -> (last[0] = healthOnce(dir)).filter(Problem::apiOnly).map(Problem::message).orElse(null));
            return last[0];
        }
        return problem;
    }

    private Optional<Problem> healthOnce(ClusterDir dir) {
        if (ClusterState.read(dir.stateFile()).isEmpty()) {
            return Optional.of(new Problem("an earlier 'up' did not finish", false));
        }
        for (String component : controlPlaneComponents(dir)) {
            if (HostProcess.running(dir.kwokPids().resolve(component + ".pid"), dir.marker()).isEmpty()) {
                return Optional.of(new Problem(component + " is not running", false));
            }
        }
        try {
            KubeClients.probe(dir.kubeconfig());
        } catch (SkciException e) {
            return Optional.of(Problem.API_UNREACHABLE);
        }
        return Optional.empty();
    }

    private LocalCluster boot(ClusterDir dir, ClusterSpec spec, BinarySet bins) {
        Instant start = Instant.now();
        checkPortFree(options.apiServerPort());
        dir.create();
        // A cold JVM needs seconds to parse cert-manager's 400 KB of CRDs and to load fabric8's HTTP
        // stack and model classes; both overlap with the control plane's start instead of following it.
        CompletableFuture<List<CustomResourceDefinition>> crds =
                CompletableFuture.supplyAsync(() -> CertManagerCrds.parse(bins.certManagerCrds()));
        CompletableFuture<Void> warm = CompletableFuture.runAsync(ControlPlane::warmUp);
        Kwokctl kwokctl = new Kwokctl(bins, dir);
        // Machine-wide, held until kwokctl.yaml names the ports, so a cluster booting at the same time skips them.
        try (ClusterLock ports = ClusterLock.acquire(locks(), ".ports", "port allocation (another cluster is booting)",
                options.lockTimeout())) {
            kwokctl.writeConfig(Ports.choose(options.apiServerPort(), Ports.claimedBy(ClusterDir.clustersRoot(), spec.name()),
                    Ports::bindable));
        }
        LocalScheduler.writeInitial(dir, spec.scheduler());
        progress.accept("starting the control plane of cluster '" + spec.name() + "' (kwokctl, binaries in " + bins.dir() + ")");
        Kwokctl.Result created = kwokctl.createCluster(options.bootTimeout());
        if (!created.ok()) {
            String why = BootFailure.explain(dir, created);
            stopProcesses(dir);
            throw SkciException.environment("the control plane of cluster '" + spec.name() + "' did not start: " + why
                    + " (logs in " + dir.logs() + "; 'skci cluster down --name " + spec.name() + "' removes them)");
        }
        KubernetesClient client = null;
        try {
            linkControlPlaneLogs(dir);
            Files.copy(dir.kwokKubeconfig(), dir.kubeconfig(), StandardCopyOption.REPLACE_EXISTING);
            LogDirs.declare(dir.kubeconfig(), dir.logs()); // so --provider existing on this kubeconfig finds them too
            warm.join();
            client = KubeClients.fromKubeconfig(dir.kubeconfig());
            ControlPlane.awaitReady(dir, client, options.bootTimeout());
            ControlPlane.restartKwokController(dir, kwokctl);
            LOG.debug("control plane up after {} ms", Duration.between(start, Instant.now()).toMillis());
            LocalCertManager certManager = new LocalCertManager(bins, dir);
            KubernetesClient c = client;
            // cert-manager (CRDs, then its two processes) starts while Clusters.up installs skci's stages
            // and nodes: the two are independent, and together they are most of what is left of the boot.
            progress.accept("starting cert-manager (leader election off); installing KWOK stages, "
                    + spec.pools().map(dev.skci.cluster.Pools::describe).orElse(spec.nodes() + " virtual node(s)") + " and 1 decoy node");
            CompletableFuture<Void> certManagerUp = CompletableFuture.runAsync(() -> {
                CertManagerCrds.install(c, crds.join(), Duration.ofSeconds(30));
                LOG.debug("cert-manager CRDs established after {} ms", Duration.between(start, Instant.now()).toMillis());
                certManager.startAll();
                LOG.debug("cert-manager ready after {} ms", Duration.between(start, Instant.now()).toMillis());
            });
            PinnedVersions v = bins.versions();
            new ClusterState(spec.name(), spec.pools().orElse(null), bins.dir().toString(), v, start.toString()).write(dir.stateFile());
            return new LocalCluster(dir, client, certManager, false, certManagerUp, kwokctl, new LocalComponents(bins, dir, certManager));
        } catch (RuntimeException | IOException e) {
            if (client != null) {
                client.close();
            }
            stopProcesses(dir);
            if (e instanceof SkciException se) {
                throw new SkciException(se.kind(), se.getMessage() + " (logs in " + dir.logs() + ")", se);
            }
            throw SkciException.environment("cluster '" + spec.name() + "' failed during bootstrap: " + e.getMessage()
                    + " (logs in " + dir.logs() + ")", e);
        }
    }

    private LocalCluster adopt(ClusterDir dir, ClusterSpec spec, BinarySet bins) {
        KubernetesClient client = KubeClients.fromKubeconfig(dir.kubeconfig());
        LocalCertManager certManager = new LocalCertManager(bins, dir);
        ClusterState old = ClusterState.read(dir.stateFile()).orElseThrow();
        new ClusterState(spec.name(), spec.pools().orElse(old.pools()), old.binDir(), old.versions(), old.bootedAt())
                .write(dir.stateFile());
        // Restarts a cert-manager component that died since the last run (a no-op for running ones).
        List<String> stopped = certManager.components().stream().filter(c -> !c.running()).map(dev.skci.cluster.Component::name).toList();
        if (!stopped.isEmpty()) {
            progress.accept("cluster '" + dir.name() + "': " + String.join(", ", stopped) + (stopped.size() == 1 ? " is" : " are")
                    + " not running; restarting " + (stopped.size() == 1 ? "it" : "them"));
        }
        return new LocalCluster(dir, client, certManager, true, CompletableFuture.runAsync(certManager::startAll),
                new Kwokctl(bins, dir), new LocalComponents(bins, dir, certManager));
    }

    /** Stops everything, verifies nothing of the cluster still runs, removes the directory. */
    private void teardown(ClusterDir dir) {
        List<ProcFs.ProcessInfo> survivors = stopProcesses(dir);
        if (!survivors.isEmpty()) {
            throw SkciException.environment("could not stop every process of cluster '" + dir.name() + "': "
                    + survivors.stream().map(p -> p.pid() + " " + p.argv().getFirst()).toList());
        }
        dir.delete();
    }

    /** Ends cert-manager, the control plane, and anything else of ours that runs; returns what survived. */
    private List<ProcFs.ProcessInfo> stopProcesses(ClusterDir dir) {
        new LocalCertManager(bins, dir).stopAll();
        if (Files.exists(dir.kwokctlConfig()) && Files.isDirectory(dir.kwokCluster())) {
            Kwokctl.Result r = new Kwokctl(bins, dir).deleteCluster();
            if (!r.ok()) {
                LOG.debug("kwokctl delete cluster failed for {}: {}", dir.name(), r.output());
            }
        }
        // Whatever pid files missed (a crash between fork and pid file, a deleted kwok dir): our binaries
        // whose command line names this cluster's directory.
        for (ProcFs.ProcessInfo p : owned(dir)) {
            HostProcess.terminate(p.pid(), Duration.ofSeconds(5));
        }
        return owned(dir);
    }

    /** Processes of this cluster: started from our binaries, and naming the cluster's directory. */
    List<ProcFs.ProcessInfo> owned(ClusterDir dir) {
        String binRoot = PinnedVersions.cacheRoot().resolve("bin").toString() + "/";
        return ProcFs.withCommandLineContaining(dir.marker()).stream()
                .filter(p -> {
                    String exe = p.argv().getFirst();
                    return exe.startsWith(dir.marker()) || exe.startsWith(binRoot);
                })
                .toList();
    }

    private static List<String> controlPlaneComponents(ClusterDir dir) {
        try (Stream<Path> files = Files.list(dir.kwokPids())) {
            List<String> names = new ArrayList<>();
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pid"))
                    .forEach(n -> names.add(n.substring(0, n.length() - 4)));
            return names.isEmpty() ? List.of("the control plane") : names;
        } catch (IOException e) {
            return List.of("the control plane");
        }
    }

    private static void linkControlPlaneLogs(ClusterDir dir) throws IOException {
        Path link = dir.logs().resolve("control-plane");
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, dir.logs().relativize(dir.kwokLogs()));
        }
    }

    /** Beside the cluster directories, so removing one does not drop its lock. */
    private static Path locks() {
        return ClusterDir.clustersRoot().resolve(".locks");
    }

    private static void checkPortFree(int port) {
        if (port <= 0) {
            return;
        }
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw SkciException.environment("port " + port + " on 127.0.0.1 is already in use (another cluster or program);"
                    + " choose another --api-port, or leave it out to get a free one");
        }
    }
}
