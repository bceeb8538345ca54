package dev.skci.cluster.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Turns a failed {@code kwokctl create cluster} into one line a user can act on. */
final class BootFailure {
    private static final Pattern ADDRESS_IN_USE = Pattern.compile("listen tcp ([0-9.:\\[\\]]+): bind: address already in use");
    private static final ObjectMapper JSON = new ObjectMapper();

    private BootFailure() {}

    static String explain(ClusterDir dir, Kwokctl.Result result) {
        Optional<String> clash = portClash(dir.kwokLogs());
        if (clash.isPresent()) {
            return "address " + clash.get() + " is already in use (another cluster or program holds the port)";
        }
        return lastError(result.output()).orElse("kwokctl exited with " + result.exitCode());
    }

    private static Optional<String> portClash(Path logs) {
        if (!Files.isDirectory(logs)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.toList()) {
                Matcher m = ADDRESS_IN_USE.matcher(Files.readString(f));
                if (m.find()) {
                    return Optional.of(m.group(1) + " (" + f.getFileName().toString().replace(".log", "") + ")");
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** kwokctl logs JSON lines; the last ERROR's msg and err say what went wrong. */
    private static Optional<String> lastError(String output) {
        List<String> lines = output.lines().toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (!line.startsWith("{")) {
                if (!line.isEmpty() && i == lines.size() - 1) {
                    return Optional.of(line);
                }
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                if ("ERROR".equals(n.path("level").asText())) {
                    String err = n.path("err").asText("");
                    return Optional.of(n.path("msg").asText("kwokctl failed") + (err.isEmpty() ? "" : ": " + err));
                }
            } catch (IOException e) {
                // not JSON after all
            }
        }
        return Optional.empty();
    }
}
