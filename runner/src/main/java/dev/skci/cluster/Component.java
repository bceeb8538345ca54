package dev.skci.cluster;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A process a provider runs for a cluster (the local provider's etcd, API server, controller manager,
 * scheduler, KWOK controller and cert-manager), as {@code skci cluster status}, the diagnostics and the
 * run's supervision see it.
 *
 * @param commandLine the program and its flags: the running process's own, else the ones it is started with
 * @param exitStatus how it ended, when this process started it and saw it end ("exit status 1", "killed by
 *     signal 9"); empty when it runs, or when another process (kwokctl, another skci) started it: only a
 *     process's parent can learn how it ended
 * @param log where its output goes
 */
public record Component(String name, boolean running, List<String> commandLine, Optional<String> exitStatus, Path log) {
    public Component {
        commandLine = List.copyOf(commandLine);
    }

    /** The flags only, without the program. */
    public List<String> flags() {
        return commandLine.isEmpty() ? List.of() : commandLine.subList(1, commandLine.size());
    }

    /** The last {@code n} non-blank lines of its log (read from the end, so a large log costs nothing). */
    public List<String> lastLogLines(int n) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(0, len - 64 * 1024);
            byte[] buf = new byte[(int) (len - from)];
            f.seek(from);
            f.readFully(buf);
            List<String> lines = new String(buf, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).map(String::strip).toList();
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException e) {
            return List.of();
        }
    }

    /** One line for a component that stopped: its name, how it ended, where its log is and how the log ends. */
    public String describeExit(int logLines) {
        List<String> tail = lastLogLines(logLines);
        return name + " exited (" + exitStatus.orElse("exit status unknown: another process started it") + "); log "
                + log + (tail.isEmpty() ? " is empty" : " ends: " + String.join(" | ", tail));
    }
}
