package dev.skci.cluster;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@code KubeSchedulerConfiguration} from the user's repository ({@code cluster.scheduler.config}), read once
 * when the config is, so that what was validated is what runs.
 *
 * @param file where it came from, for messages
 * @param content the file's text (YAML or JSON)
 */
public record SchedulerConfig(Path file, String content) {
    public SchedulerConfig {
        Objects.requireNonNull(file);
        Objects.requireNonNull(content);
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
