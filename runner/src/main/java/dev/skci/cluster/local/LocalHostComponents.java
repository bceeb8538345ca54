package dev.skci.cluster.local;

import dev.skci.cluster.Component;
import java.util.Optional;

import dev.skci.cluster.HostComponents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Components beside a local cluster, like its cert-manager ({@link LocalCertManager}): host processes with a pid file
 * in {@code pids/}, a log in {@code logs/} and a working directory {@code components/<name>/}, all inside the cluster's
 * directory, so {@code down} finds and ends them (by pid file, or by its /proc sweep for the directory in the command
 * line) and the diagnostics bundle picks up their logs.
 */
final class LocalHostComponents implements HostComponents {
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final ClusterDir dir;
    /**
     * What this JVM started and has not stopped on purpose: these are supervised like the control plane (the run's
     * cluster watch sees them in {@link LocalCluster#components()}), so Karpenter dying mid-run stops the run with its
     * exit status and log instead of leaving pods Pending until the deadline.
     */
    private final Map<String, Started> started = new java.util.concurrent.ConcurrentHashMap<>();

    private record Started(Process process, List<String> argv) {}

    LocalHostComponents(ClusterDir dir) {
        this.dir = dir;
    }

    @Override
    public Process start(String name, List<String> argv, Map<String, String> env) {
        if (argv.stream().noneMatch(a -> a.contains(marker()))) {
            throw new IllegalArgumentException(name + ": the command line must name the cluster directory " + marker());
        }
        Process p = HostProcess.start(argv, env, log(name), pidFile(name));
        started.put(name, new Started(p, List.copyOf(argv)));
        return p;
    }

    @Override
    public void stop(String name) {
        // Unsupervised first, so the watch never reads a stop on purpose as a death.
        started.remove(name);
        HostProcess.stop(pidFile(name), marker(), STOP_GRACE);
    }

    /** The components this JVM started and has not stopped, as the cluster's status and its supervision see them. */
    List<Component> supervised() {
        List<Component> out = new java.util.ArrayList<>();
        started.forEach((name, st) -> {
            // The Process this JVM holds, not /proc: its command line reads empty for a moment while setsid execs.
            boolean running = st.process().isAlive();
            Optional<String> exit = running ? Optional.empty() : Optional.of(HostProcess.describeExit(st.process().exitValue()));
            out.add(new Component(name, running, st.argv(), exit, log(name)));
        });
        out.sort(java.util.Comparator.comparing(Component::name));
        return out;
    }

    @Override
    public boolean running(String name) {
        return HostProcess.running(pidFile(name), marker()).isPresent();
    }

    @Override
    public Path log(String name) {
        return dir.logs().resolve(name + ".log");
    }

    @Override
    public Path dir(String name) {
        Path d = dir.root().resolve("components").resolve(name);
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + d, e);
        }
        return d;
    }

    @Override
    public String marker() {
        return dir.marker();
    }

    @Override
    public int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }

    private Path pidFile(String name) {
        return dir.pids().resolve(name + ".pid");
    }
}
