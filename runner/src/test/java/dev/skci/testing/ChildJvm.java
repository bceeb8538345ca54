package dev.skci.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs skci's main class in a separate JVM with this JVM's class path: for behaviour that depends on
 * the environment (SKCI_CACHE_DIR) or on the runner process going away (a crashed runner).
 */
public final class ChildJvm {
    private ChildJvm() {}

    public record Result(int exit, String out, String err) {
        public List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank() && !l.startsWith("WARNING:")).toList();
        }
    }

    public static Result skci(Map<String, String> env, long timeoutSeconds, String... args) {
        return main(env, List.of(), "dev.skci.cli.Main", timeoutSeconds, args);
    }

    /** Runs {@code mainClass} (from this JVM's class path, test classes included) with extra JVM flags. */
    public static Result main(Map<String, String> env, List<String> jvmFlags, String mainClass, long timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("skci-child", ".out");
            Path err = Files.createTempFile("skci-child", ".err");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(new File("/dev/null"))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(mainClass + " " + String.join(" ", args) + " did not finish in " + timeoutSeconds + "s");
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a child JVM", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
