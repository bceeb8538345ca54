package dev.skci.preflight;

import dev.skci.replay.Desired;
import dev.skci.replay.PodDemand;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Predicts the fidelity a replay will reach ({@code fidelity.podSeconds}, docs/expectations.md) from the
 * trace's pod demand, the replay speed and the cluster's capacity, without running anything.
 *
 * <p>The model: the cluster is one server that creates pods at {@code creates} per second and deletes them
 * at {@code deletes} per second of wall time, first come first served (a scale-up's pods queue behind the
 * ones asked for earlier). Every increase of a workload's count asks for that many new pods at the
 * moment the replay applies it; each new pod is needed from then until the trace lowers the count below
 * it (or the window ends). A pod that is created later loses the pod-seconds in between; one still
 * queued when it is no longer needed is never created (its controller no longer asks). Every decrease
 * queues that many deletions, which cost capacity but lose nothing (surplus pods do not count). The
 * result is the same ratio the verdict computes: realised ÷ requested pod-seconds, pods that existed
 * before counted as realised.
 *
 * <p>It leaves out the replay's own apply time, scheduling and KWOK (fidelity counts a pod once it exists,
 * Running or not) and the controllers' slow-start batches; the capacity is measured the same way, with the
 * real runner, webhook and controllers in the loop ({@code skci cluster calibrate}), which absorbs them.
 */
final class FidelityModel {
    private FidelityModel() {}

    /** {@code count} pods asked for at {@code at} (trace seconds), needed until {@code until}; or deletions. */
    private record Batch(double at, int count, double until, boolean create, int order) {}

    /** The batches of a demand, in trace seconds relative to the window's start. */
    static List<Batch> batches(PodDemand demand) {
        List<Batch> out = new ArrayList<>();
        double window = demand.end() - demand.start();
        int order = 0;
        for (Map.Entry<String, List<Desired.Change>> e : demand.changes().entrySet()) {
            List<Desired.Change> changes = e.getValue();
            int previous = 0;
            for (int i = 0; i < changes.size(); i++) {
                Desired.Change c = changes.get(i);
                double at = Math.max(0, c.ts() - demand.start());
                if (at >= window && c.replicas() >= previous) {
                    break; // nothing asked for inside the window
                }
                if (c.replicas() < previous) {
                    out.add(new Batch(at, previous - c.replicas(), at, false, order++));
                } else if (c.replicas() > previous) {
                    // Pods previous+1 .. replicas: pod j is needed until the first later count below j. Walking the
                    // later changes with their running minimum splits them into groups that end together.
                    int top = c.replicas();
                    for (int k = i + 1; k < changes.size() && top > previous; k++) {
                        int r = changes.get(k).replicas();
                        if (r < top) {
                            int lowest = Math.max(r, previous);
                            double until = Math.min(window, Math.max(0, changes.get(k).ts() - demand.start()));
                            out.add(new Batch(at, top - lowest, until, true, order++));
                            top = lowest;
                        }
                    }
                    if (top > previous) {
                        out.add(new Batch(at, top - previous, window, true, order++));
                    }
                }
                previous = c.replicas();
            }
        }
        out.sort(Comparator.comparingDouble(Batch::at).thenComparingInt(Batch::order));
        return out;
    }

    /**
     * The predicted {@code fidelity.podSeconds} (0..1) at {@code speed} with the given capacity (per wall
     * second), or 1 when the trace asks for no pod-seconds.
     */
    static double podSeconds(List<Batch> batches, double speed, double creates, double deletes) {
        double requested = 0;
        double lost = 0;
        double free = 0; // wall second from which the server is idle
        for (Batch b : batches) {
            double at = b.at() / speed;
            double start = Math.max(at, free);
            if (!b.create()) {
                free = start + b.count() / deletes;
                continue;
            }
            double until = b.until() / speed;
            if (until <= at) {
                continue;
            }
            requested += b.count() * (until - at);
            // Pod k (1..count) exists from start + k/creates; those not created before `until` never are.
            int made = (int) Math.min(b.count(), Math.max(0, Math.floor((until - start) * creates)));
            // Lost by the pods made: sum over k of (start + k/creates - at); the rest lose their whole interval.
            lost += made * (start - at) + (double) made * (made + 1) / (2 * creates) + (b.count() - made) * (until - at);
            free = start + made / creates;
        }
        // Seconds cancel out between requested and lost, so wall time gives the same ratio as trace time.
        return requested <= 0 ? 1 : Math.max(0, Math.min(1, (requested - lost) / requested));
    }
}
