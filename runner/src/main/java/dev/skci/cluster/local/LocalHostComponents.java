package dev.skci.cluster.local;

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

    LocalHostComponents(ClusterDir dir) {
        this.dir = dir;
    }

    @Override
    public Process start(String name, List<String> argv, Map<String, String> env) {
        if (argv.stream().noneMatch(a -> a.contains(marker()))) {
            throw new IllegalArgumentException(name + ": the command line must name the cluster directory " + marker());
        }
        return HostProcess.start(argv, env, log(name), pidFile(name));
    }

    @Override
    public void stop(String name) {
        HostProcess.stop(pidFile(name), marker(), STOP_GRACE);
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
