package dev.skci.verdict;

import java.util.List;
import java.util.Map;

/**
 * How a simulation is judged: which default checks are switched off (and why), the fidelity threshold,
 * and the expectations. Built from the config file and flags (package {@code config}).
 *
 * @param off default check name to the reason it is off
 * @param minPodSeconds the share of requested pod-seconds the simulation must realise to count as kept up
 */
public record Rules(Map<String, String> off, double minPodSeconds, List<Expectation> expectations) {
    /** Calibrated on the repository's example traces at their documented speeds (docs/expectations.md). */
    public static final double DEFAULT_MIN_POD_SECONDS = 0.8;

    public static final Rules DEFAULT = new Rules(Map.of(), DEFAULT_MIN_POD_SECONDS, List.of());

    public Rules {
        off = Map.copyOf(off);
        expectations = List.copyOf(expectations);
    }
}
