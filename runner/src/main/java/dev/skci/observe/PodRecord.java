package dev.skci.observe;

import java.time.Instant;

/** One simulated pod's life as the observer saw it. Times are null until the pod got there. */
public record PodRecord(String namespace, String name, String node, String phase, boolean mutated,
        Instant created, Instant running, Instant finished, Instant deleted) {

    /** The last phase the pod reached, whether or not it was deleted afterwards. */
    public String finalPhase() {
        return phase == null || phase.isEmpty() ? "Pending" : phase;
    }

    public String key() {
        return namespace + "/" + name;
    }
}
