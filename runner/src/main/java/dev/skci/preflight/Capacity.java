package dev.skci.preflight;

import java.time.Instant;
import java.util.Optional;

/**
 * How fast a simulation cluster creates and deletes pods, sustained, with skci's runner, webhook and
 * observer in the loop: what the preflight compares a trace's demand with.
 *
 * @param creates pods created per second of wall time (the controllers' creates through the webhook)
 * @param running pods that reached Running per second (creation, scheduling and KWOK's stages); shown, not judged:
 *                the verdict's pod-seconds count a pod from its creation, so {@code creates} bounds fidelity
 * @param deletes pods deleted per second (a scale-down until the pods are gone)
 * @param source where the figure comes from, for the reader: "measured on this machine ..." or the documented figure
 * @param measuredAt when it was measured, empty for the documented figure
 */
public record Capacity(double creates, double running, double deletes, String source, Optional<Instant> measuredAt) {

    /**
     * The documented figure: the slowest of what {@code skci cluster calibrate} measured with skci's tuned control
     * plane on the 2-core development VM (docs/benchmarks.md, "Capacity: the preflight's documented figure", with
     * the commands): 55 creations/s and 105 deletions/s (rounded down to 100) from 2026-12-02's three runs, and
     * 40 pods Running/s from the one-write KWOK start's rounds (2026-12-03; the two-write path it replaced managed
     * 3). Used when this machine was never calibrated; a bigger or quieter machine does better, so it errs on the
     * side of warning.
     */
    public static Capacity documented() {
        return new Capacity(DOCUMENTED_CREATES, DOCUMENTED_RUNNING, DOCUMENTED_DELETES,
                "the documented figure for a 2-core runner (docs/benchmarks.md); 'skci cluster calibrate' measures this machine",
                Optional.empty());
    }

    static final double DOCUMENTED_CREATES = 55;
    static final double DOCUMENTED_RUNNING = 40;
    static final double DOCUMENTED_DELETES = 100;

    public Capacity {
        if (!(creates > 0) || !(deletes > 0) || !(running > 0)) {
            throw new IllegalArgumentException("capacity must be positive: " + creates + " creates/s, " + deletes + " deletes/s");
        }
    }
}
