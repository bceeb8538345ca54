package dev.skci.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs declared steps in order on one state, stops at the first that throws, lets the caller look at
 * the failure while everything still exists (diagnostics are collected then), and always unwinds the
 * {@link Teardowns}. It knows nothing about clusters, so it is tested without one.
 */
public final class StepRunner {
    private StepRunner() {}

    /** Called after the steps, before the teardown: with the failure, if a step threw. */
    @FunctionalInterface
    public interface BeforeTeardown {
        void accept(Optional<Failed> failure);
    }

    /** The step that threw and what it threw. */
    public record Failed(String step, Throwable error) {}

    /** What happened: the steps that completed, the failure if any, and how each teardown went. */
    public record Outcome(List<String> completed, Optional<Failed> failure, List<Teardowns.Done> teardowns) {}

    public static <S> Outcome run(List<? extends Step<S>> steps, S state, Teardowns teardowns, BeforeTeardown beforeTeardown) {
        List<String> completed = new ArrayList<>();
        Optional<Failed> failure = Optional.empty();
        for (Step<S> step : steps) {
            try {
                step.run(state, teardowns);
            } catch (Exception | Error e) {
                failure = Optional.of(new Failed(step.id(), e));
                break;
            }
            completed.add(step.id());
        }
        try {
            beforeTeardown.accept(failure);
        } catch (RuntimeException e) {
            // Looking at a failure must never keep the run from being torn down.
            if (failure.isEmpty()) {
                failure = Optional.of(new Failed("before-teardown", e));
            } else {
                failure.get().error().addSuppressed(e);
            }
        }
        return new Outcome(List.copyOf(completed), failure, teardowns.unwind());
    }
}
