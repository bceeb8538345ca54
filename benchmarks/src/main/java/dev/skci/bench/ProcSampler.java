package dev.skci.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Samples, once a second, the CPU time and resident memory of the processes of one run from /proc: the
 * runner (a pid) and every process whose command line names the cluster's directory (etcd, the API server,
 * the controllers, KWOK, cert-manager). Gives CPU seconds and peak RSS per process name over the sampled
 * window, which says which process used which share of the cores.
 */
final class ProcSampler implements AutoCloseable {
    private static final double TICKS = 100.0; // USER_HZ on Linux

    /** One process's usage over the window. */
    record Usage(String name, double cpuSeconds, long maxRssKiB) {}

    private final long runnerPid;
    private final String clusterMarker;
    private final Map<Long, String> names = new HashMap<>();
    private final Map<Long, Long> firstTicks = new HashMap<>();
    private final Map<Long, Long> lastTicks = new HashMap<>();
    private final Map<Long, Long> maxRss = new HashMap<>();
    private final Map<Long, Boolean> ours = new HashMap<>();
    private final Thread thread;
    private final long started = System.nanoTime();
    private volatile long stopped;
    private volatile boolean running = true;

    ProcSampler(long runnerPid, String clusterName) {
        this.runnerPid = runnerPid;
        this.clusterMarker = "/clusters/" + clusterName + "/";
        this.thread = Thread.ofPlatform().daemon().name("proc-sampler").start(this::loop);
    }

    private void loop() {
        while (running) {
            sample();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample() {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars()
                .allMatch(Character::isDigit))) {
            for (Path p : procs) {
                long pid = Long.parseLong(p.getFileName().toString());
                try {
                    if (!ours.computeIfAbsent(pid, x -> belongs(p, x))) {
                        continue;
                    }
                    String stat = Files.readString(p.resolve("stat"), StandardCharsets.UTF_8);
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    long rssKiB = Long.parseLong(f[21]) * 4;
                    names.put(pid, pid == runnerPid ? "skci runner" : comm);
                    firstTicks.putIfAbsent(pid, ticks);
                    lastTicks.put(pid, ticks);
                    maxRss.merge(pid, rssKiB, Math::max);
                } catch (IOException | RuntimeException e) {
                    ours.remove(pid); // gone, or a new process under a reused pid
                }
            }
        } catch (IOException e) {
            // /proc unreadable: no samples
        }
    }

    private boolean belongs(Path proc, long pid) {
        if (pid == runnerPid) {
            return true;
        }
        try {
            String cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
            return cmd.contains(clusterMarker);
        } catch (IOException e) {
            return false;
        }
    }

    double wallSeconds() {
        return ((stopped == 0 ? System.nanoTime() : stopped) - started) / 1e9;
    }

    /** Usage per process name (processes of the same name summed), biggest CPU first. */
    synchronized List<Usage> usage() {
        Map<String, double[]> by = new TreeMap<>();
        for (var e : lastTicks.entrySet()) {
            double[] u = by.computeIfAbsent(names.get(e.getKey()), k -> new double[2]);
            u[0] += (e.getValue() - firstTicks.get(e.getKey())) / TICKS;
            u[1] = Math.max(u[1], maxRss.get(e.getKey()));
        }
        return by.entrySet().stream().map(e -> new Usage(e.getKey(), e.getValue()[0], (long) e.getValue()[1]))
                .sorted((a, b) -> Double.compare(b.cpuSeconds(), a.cpuSeconds())).toList();
    }

    /** "kube-apiserver 0.62 cores (310 MiB), ..." for the top {@code n}. */
    String describe(int n) {
        double wall = wallSeconds();
        StringBuilder b = new StringBuilder();
        for (Usage u : usage().stream().limit(n).toList()) {
            b.append(b.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2f cores (%d MiB)", u.name(), u.cpuSeconds() / wall,
                    u.maxRssKiB() / 1024));
        }
        return b.toString();
    }

    @Override
    public void close() {
        sample();
        stopped = System.nanoTime();
        running = false;
        thread.interrupt();
    }
}
