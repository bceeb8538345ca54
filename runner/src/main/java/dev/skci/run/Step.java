package dev.skci.run;

/**
 * One step of a run, in the style of kind's cluster actions: it does one job on the shared state
 * {@code S} and, for everything it creates, pushes how to undo it onto the run's {@link Teardowns}.
 * The steps of a simulation are declared in one list ({@link SimulationSteps}); a new step is one class
 * plus one line there.
 */
public interface Step<S> {
    /** A short stable id, for logs, diagnostics and docs/architecture.md. */
    String id();

    /** What the step does, in one line (docs/architecture.md is generated from it). */
    String description();

    void run(S state, Teardowns teardowns) throws Exception;
}
