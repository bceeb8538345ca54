package dev.skci.observe;

import java.time.Instant;

/**
 * One simulated pod's life as the observer saw it. Times are when the watch delivered the change (wall
 * clock, millisecond resolution); null until the pod got there.
 *
 * @param workload the traced object it belongs to ({@code "<Kind> <namespace>/<name>"}, trace namespaces), or null
 * @param scheduled when it was bound to a node
 * @param unschedulableSince when the scheduler first reported it Unschedulable, or null if it never did
 * @param schedulerMessage the scheduler's last message while it could not be placed, or null
 * @param cpuMillis the CPU it requests (the largest of its init containers and the sum of its containers)
 * @param memoryBytes the memory it requests, likewise
 */
public record PodRecord(String namespace, String name, String workload, String node, String phase, boolean mutated,
        Instant created, Instant scheduled, Instant running, Instant finished, Instant deleted,
        Instant unschedulableSince, String schedulerMessage, long cpuMillis, long memoryBytes) {

    /** The last phase the pod reached, whether or not it was deleted afterwards. */
    public String finalPhase() {
        return phase == null || phase.isEmpty() ? "Pending" : phase;
    }

    public String key() {
        return namespace + "/" + name;
    }

    /** True once the pod ran to completion or failed. */
    public boolean terminal() {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }
}
