package dev.skci.cluster.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads Linux's /proc to find the processes that belong to a cluster. The cluster's working directory
 * appears in the command line of every process it runs (binary paths, --kubeconfig, --data-dir), which
 * is what lets {@code down} find them again after the runner that started them is gone.
 */
public final class ProcFs {
    private static final Path PROC = Path.of("/proc");

    private ProcFs() {}

    /** One live process: its id, its argument vector, and its resident memory in KiB. */
    public record ProcessInfo(long pid, List<String> argv, long rssKib) {
        public String commandLine() {
            return String.join(" ", argv);
        }
    }

    /** The argument vector of a process, or empty when it does not exist (or is a zombie). */
    public static Optional<List<String>> argv(long pid) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
            if (raw.length == 0) {
                return Optional.empty();
            }
            List<String> args = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start < raw.length) {
                args.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
            }
            return Optional.of(args);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Resident set size in KiB (VmRSS), or 0 when the process is gone. */
    public static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process exited while we looked
        }
        return 0;
    }

    /** Every live process whose command line contains {@code needle}, excluding this JVM. */
    public static List<ProcessInfo> withCommandLineContaining(String needle) {
        long self = ProcessHandle.current().pid();
        List<ProcessInfo> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(PROC)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                if (pid == self) {
                    continue;
                }
                argv(pid).filter(a -> String.join(" ", a).contains(needle))
                        .ifPresent(a -> found.add(new ProcessInfo(pid, a, rssKib(pid))));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list /proc", e);
        }
        return found;
    }
}
