package dev.skci.result;

import java.time.Duration;
import java.util.List;

/** How a run's cleanup went; {@code leftovers} is empty exactly when the cluster is clean. */
public record CleanupReport(boolean complete, Duration took, List<String> leftovers) {
    public CleanupReport {
        leftovers = List.copyOf(leftovers);
    }
}
