package dev.skci.cluster.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import dev.skci.wait.Wait;

/**
 * A long-running helper process (cert-manager) that outlives the JVM that started it, tracked by a pid
 * file. Started in its own session (like kwokctl does for the control plane) so a Ctrl-C meant for skci
 * does not reach it; stopped by pid, but only after checking that the pid still runs a command line
 * containing the cluster's working directory, so a recycled pid is never signalled.
 */
final class HostProcess {
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private HostProcess() {}

    /**
     * Starts {@code argv} with output appended to {@code log}; writes the pid file and returns the child.
     * While this JVM runs, the returned {@link Process} is the reliable way to tell whether the child
     * exited: its command line in /proc reads empty for a moment during each exec (setsid, then the
     * program), which is not an exit.
     */
    static Process start(List<String> argv, Path log, Path pidFile) {
        return start(argv, java.util.Map.of(), log, pidFile);
    }

    /** As {@link #start(List, Path, Path)}, with {@code env} added to this JVM's environment. */
    static Process start(List<String> argv, java.util.Map<String, String> env, Path log, Path pidFile) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.addAll(argv);
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(pidFile.getParent());
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(env);
            Process p = pb
                    .redirectInput(new File("/dev/null"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            // setsid(1) execs in place when its caller is not a process-group leader, which a JVM child
            // never is, so the pid we got is the pid of the program itself.
            Files.writeString(pidFile, Long.toString(p.pid()), StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + argv.getFirst(), e);
        }
    }

    /** How a child ended, from its exit value: Java reports death by signal N as 128 + N. */
    static String describeExit(int exitValue) {
        return exitValue > 128 && exitValue < 128 + 65 ? "exit status " + exitValue + ": killed by signal " + (exitValue - 128)
                : "exit status " + exitValue;
    }

    /** The pid recorded in {@code pidFile} if that process is alive and its command line contains {@code marker}. */
    static OptionalLong running(Path pidFile, String marker) {
        OptionalLong pid = readPid(pidFile);
        if (pid.isEmpty()) {
            return OptionalLong.empty();
        }
        boolean ours = ProcFs.argv(pid.getAsLong()).map(a -> String.join(" ", a).contains(marker)).orElse(false);
        return ours ? pid : OptionalLong.empty();
    }

    /** Stops the process of {@code pidFile} (if it is still ours) and removes the pid file. */
    static void stop(Path pidFile, String marker, Duration grace) {
        OptionalLong pid = running(pidFile, marker);
        if (pid.isPresent()) {
            terminate(pid.getAsLong(), grace);
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL and wait until the process is gone. */
    static void terminate(long pid, Duration grace) {
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            if (!waitGone(pid, grace)) {
                h.destroyForcibly();
                waitGone(pid, Duration.ofSeconds(5));
            }
        });
    }

    /** True once the process no longer exists or is a zombie (an empty cmdline). */
    static boolean waitGone(long pid, Duration timeout) {
        return Wait.poll("process " + pid + " to exit", timeout).every(Duration.ofMillis(20))
                .tryUntil(() -> ProcFs.argv(pid).isPresent() ? "still running" : null);
    }

    private static OptionalLong readPid(Path pidFile) {
        try {
            String text = Files.readString(pidFile).trim();
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
