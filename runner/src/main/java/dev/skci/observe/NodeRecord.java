package dev.skci.observe;

import java.time.Instant;

/**
 * One node as the observer saw it: when it appeared, became Ready and went away, and what it offers.
 * Nodes that were there before the run started "appeared" when the observer started.
 *
 * @param virtual a simulated (KWOK) node: labelled {@code type=virtual}
 */
public record NodeRecord(String name, boolean virtual, Instant appeared, Instant ready, Instant deleted, long cpuMillis,
        long memoryBytes, long pods) {}
