package dev.skci.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a cluster's component logs are on this host. A provider that keeps logs here declares the
 * directory in the kubeconfig it writes (a cluster extension named {@value #EXTENSION}), so whoever
 * adopts the cluster through that kubeconfig ({@code --provider existing}) collects the same logs
 * without knowing how the cluster was made. A kubeconfig from anywhere else declares nothing.
 */
public final class LogDirs {
    public static final String EXTENSION = "skci.dev/logs";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private LogDirs() {}

    /** Adds the declaration to every cluster entry of {@code kubeconfig}. */
    public static void declare(Path kubeconfig, Path logDir) {
        try {
            ObjectNode root = (ObjectNode) YAML.readTree(kubeconfig.toFile());
            for (JsonNode c : root.path("clusters")) {
                if (c.get("cluster") instanceof ObjectNode cluster) {
                    ArrayNode ext = cluster.get("extensions") instanceof ArrayNode a ? a : cluster.putArray("extensions");
                    ext.addObject().put("name", EXTENSION).putObject("extension").put("dir", logDir.toString());
                }
            }
            YAML.writeValue(kubeconfig.toFile(), root);
        } catch (IOException | ClassCastException e) {
            throw new UncheckedIOException("cannot write the log directory into " + kubeconfig,
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** The directory {@code kubeconfig} declares, if it declares one that exists. */
    public static Optional<Path> declared(Path kubeconfig) {
        try {
            JsonNode root = YAML.readTree(kubeconfig.toFile());
            for (JsonNode c : root.path("clusters")) {
                for (JsonNode e : c.path("cluster").path("extensions")) {
                    if (EXTENSION.equals(e.path("name").asText()) && e.path("extension").path("dir").isTextual()) {
                        Path dir = Path.of(e.path("extension").path("dir").asText());
                        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable kubeconfig declares nothing; using it fails elsewhere, with its own message
        }
        return Optional.empty();
    }

    /** Every regular file under {@code dir} (following links), by its path relative to {@code dir}. */
    public static Map<String, Path> files(Path dir) {
        Map<String, Path> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            s.filter(Files::isRegularFile).sorted()
                    .forEach(f -> out.put(dir.relativize(f).toString().replace('\\', '/'), f));
        } catch (IOException | UncheckedIOException e) {
            // a log rotated or removed while walking: what was found is enough for diagnostics
        }
        return out;
    }
}
