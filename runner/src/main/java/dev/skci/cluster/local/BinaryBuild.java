package dev.skci.cluster.local;

import dev.skci.SkciException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Builds a set of binaries on demand (another Kubernetes release that a config asks for) with the project's own
 * {@code scripts/build-binaries.sh --kubernetes <release>}, which takes the build lock, reuses what other sets have
 * and caches the result. Its progress lines (one a minute during long compiles) go to the run's progress.
 */
final class BinaryBuild {
    private static final long TIMEOUT_MINUTES = 60;

    private BinaryBuild() {}

    static void run(BinarySet set, Consumer<String> progress) {
        String release = set.versions().kubernetes();
        Path script = script().orElseThrow(() -> SkciException.environment("the binaries of Kubernetes " + release + " are not built ("
                + set.dir() + ") and this installation has no " + BinarySet.SETUP_COMMAND + "; build them where skci's sources are "
                + "with '" + BinarySet.SETUP_COMMAND + " --kubernetes " + release + "'"));
        progress.accept("building the control plane of Kubernetes " + release + " (once; minutes on a cold Go cache) with " + script);
        List<String> argv = List.of("bash", script.toString(), "--kubernetes", release);
        Deque<String> last = new ArrayDeque<>();
        try {
            Process p = new ProcessBuilder(argv).directory(script.getParent().getParent().toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String l = line.startsWith("skci: ") ? line.substring(6) : line;
                    progress.accept("  " + l);
                    last.addLast(l);
                    if (last.size() > 3) {
                        last.removeFirst();
                    }
                }
            }
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw SkciException.environment("building Kubernetes " + release + " did not finish within " + TIMEOUT_MINUTES + " minutes");
            }
            if (p.exitValue() != 0) {
                throw SkciException.environment("building the binaries of Kubernetes " + release + " failed (exit " + p.exitValue() + "): "
                        + String.join(" / ", last));
            }
        } catch (IOException e) {
            throw SkciException.environment("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            throw SkciException.interrupted("building the binaries of Kubernetes " + release, e);
        }
        set.require();
    }

    /** The build script: under {@code $SKCI_HOME} (set by bin/skci), else above the runner's jar or classes. */
    static Optional<Path> script() {
        String home = System.getenv("SKCI_HOME");
        if (home != null && !home.isBlank()) {
            Path p = Path.of(home).resolve(BinarySet.SETUP_COMMAND);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        try {
            Path here = Path.of(BinaryBuild.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            for (Path d = here; d != null; d = d.getParent()) {
                Path p = d.resolve(BinarySet.SETUP_COMMAND);
                if (Files.isRegularFile(p) && Files.isRegularFile(d.resolve("tools/versions.env"))) {
                    return Optional.of(p);
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source on the file system
        }
        return Optional.empty();
    }
}
