package dev.skci.run;

import dev.skci.readiness.Gate;
import dev.skci.readiness.GateCatalog;
import java.util.stream.Collectors;

/** Passes every gate of one phase ({@link GateCatalog}), in order; a gate that times out ends the run (exit 3). */
record GatesStep(Gate.Phase phase) implements Step<Simulation> {
    @Override
    public String id() {
        return "gates-" + phase.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String description() {
        return "readiness gates: " + GateCatalog.of(phase).stream().map(Gate::id).collect(Collectors.joining(", "));
    }

    @Override
    public void run(Simulation s, Teardowns teardowns) {
        s.gates.pass(phase, s);
    }
}
