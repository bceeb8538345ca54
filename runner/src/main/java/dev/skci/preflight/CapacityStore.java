package dev.skci.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Measured capacities ({@code skci cluster calibrate}), one small JSON file per machine and cluster kind
 * under {@code <cache>/capacity/}: the file name is a hash of this machine (CPU model, cores, memory) and the
 * provider's key (for the local provider: the pinned binary set and the control-plane settings), so a new
 * machine, binary set or tuning is measured afresh instead of trusting an old figure.
 */
public final class CapacityStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    public CapacityStore(Path dir) {
        this.dir = dir;
    }

    /** The store under skci's cache directory ({@code $SKCI_CACHE_DIR}, else {@code ~/.cache/skci}). */
    public static CapacityStore standard() {
        return new CapacityStore(dev.skci.cluster.local.PinnedVersions.cacheRoot().resolve("capacity"));
    }

    /** The measured capacity for this cluster kind on this machine, if there is one. */
    public Optional<Capacity> find(String providerKey) {
        Path f = file(providerKey);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(f.toFile());
            Instant at = Instant.parse(n.path("measuredAt").asText());
            return Optional.of(new Capacity(n.path("creates").asDouble(), n.path("running").asDouble(), n.path("deletes").asDouble(),
                    "measured on this machine by 'skci cluster calibrate' on " + at.toString().substring(0, 10), Optional.of(at)));
        } catch (IOException | DateTimeParseException | IllegalArgumentException e) {
            return Optional.empty(); // an unreadable file is as good as none: the documented figure applies
        }
    }

    /** Records a measurement (written to a temporary file and renamed, so a reader never sees half of it). */
    public Path save(String providerKey, Capacity c, String detail) throws IOException {
        Files.createDirectories(dir);
        ObjectNode n = JSON.createObjectNode();
        n.put("provider", providerKey);
        n.put("machine", machineDescription());
        n.put("creates", c.creates());
        n.put("running", c.running());
        n.put("deletes", c.deletes());
        n.put("measuredAt", c.measuredAt().orElse(Instant.now()).toString());
        n.put("detail", detail);
        Path f = file(providerKey);
        Path tmp = Files.createTempFile(dir, ".capacity", ".tmp");
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return f;
    }

    Path file(String providerKey) {
        return dir.resolve(sha256(machineDescription() + "\n" + providerKey).substring(0, 16) + ".json");
    }

    /** What makes this machine this machine for throughput: CPU model, cores, memory (GiB). */
    static String machineDescription() {
        String model = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: cores and memory still tell machines apart
        }
        long memGiB = 0;
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memGiB = Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return String.format(Locale.ROOT, "%s, %d cores, %d GiB", model, Runtime.getRuntime().availableProcessors(), memGiB);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
