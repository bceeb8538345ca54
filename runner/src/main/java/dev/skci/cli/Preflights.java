package dev.skci.cli;

import dev.skci.cluster.ClusterProvider;
import dev.skci.preflight.Capacity;
import dev.skci.preflight.CapacityStore;
import dev.skci.preflight.Preflight;
import dev.skci.replay.PodDemand;
import dev.skci.replay.ReplayPlan;
import dev.skci.trace.codec.TraceFile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The preflight as {@code skci run} and {@code skci inspect --speed} show it: the same figures, from the same code. */
final class Preflights {
    private Preflights() {}

    /** What this provider's clusters sustain on this machine: measured, else the documented figure; empty when unknown. */
    static Optional<Capacity> capacity(ClusterProvider provider) {
        Optional<String> key = provider.capacityKey();
        if (key.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(CapacityStore.standard().find(key.get()).orElseGet(Capacity::documented));
    }

    /** The assessment, or empty when the capacity is unknown. */
    static Optional<Preflight> assess(TraceFile trace, ReplayPlan plan, double speed, Optional<Capacity> capacity, double threshold) {
        return capacity.map(c -> Preflight.assess(PodDemand.scan(trace, plan), speed, c, threshold));
    }

    /** The lines for one trace: the assessment, or the demand alone with a note that the capacity is unknown. */
    static List<String> lines(TraceFile trace, ReplayPlan plan, double speed, Optional<Capacity> capacity, double threshold) {
        Optional<Preflight> p = assess(trace, plan, speed, capacity, threshold);
        if (p.isPresent()) {
            return p.get().lines();
        }
        List<String> out = new ArrayList<>();
        out.add(Preflight.demandLine(PodDemand.scan(trace, plan), speed));
        out.add("the capacity of this cluster is not known to skci; 'skci cluster calibrate' with the same --provider measures it");
        return out;
    }

    /**
     * Before the cluster boots: a warning when the replay of one trace is predicted unfaithful, else nothing (a run's
     * output stays what it was for traces this machine keeps up with; {@code skci inspect --speed} shows the figures).
     */
    static void print(PrintStream err, TraceFile trace, ReplayPlan plan, double speed, Optional<Capacity> capacity, double threshold) {
        Optional<Preflight> p = assess(trace, plan, speed, capacity, threshold);
        if (p.isPresent() && p.get().creations() > 0 && !p.get().faithful()) {
            err.println("skci: warning: " + trace.name() + ": " + p.get().warning());
        }
    }
}
