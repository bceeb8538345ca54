package dev.skci.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.SkciException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The orchestration without a cluster, in the style of java-operator-sdk's ReconciliationDispatcherTest:
 * steps run in order, a failure at any step stops the rest, what was created is torn down in reverse
 * on every path, and the failure is looked at before anything is torn down.
 */
class StepRunnerTest {
    /** What happened, in order: "run a", "undo a", "look", ... */
    private final List<String> events = new ArrayList<>();

    private Step<List<String>> step(String id, boolean fails) {
        return new Step<>() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String description() {
                return "step " + id;
            }

            @Override
            public void run(List<String> log, Teardowns teardowns) {
                log.add("run " + id);
                teardowns.push(id, () -> log.add("undo " + id));
                if (fails) {
                    throw SkciException.environment(id + " broke");
                }
            }
        };
    }

    private List<Step<List<String>>> steps(int failAt) {
        return IntStream.range(0, 5).mapToObj(i -> step("s" + i, i == failAt)).toList();
    }

    @Test
    void everyStepRunsInOrderAndEverythingIsUndoneInReverse() {
        StepRunner.Outcome o = StepRunner.run(steps(-1), events, new Teardowns(), f -> events.add("look " + f.isPresent()));
        assertEquals(List.of("run s0", "run s1", "run s2", "run s3", "run s4", "look false",
                "undo s4", "undo s3", "undo s2", "undo s1", "undo s0"), events);
        assertEquals(List.of("s0", "s1", "s2", "s3", "s4"), o.completed());
        assertTrue(o.failure().isEmpty());
        assertTrue(o.teardowns().stream().allMatch(d -> d.error() == null));
    }

    static IntStream failingStep() {
        return IntStream.range(0, 5);
    }

    @ParameterizedTest
    @MethodSource("failingStep")
    void aFailureStopsTheRestAndUndoesExactlyWhatExistsInReverse(int k) {
        StepRunner.Outcome o = StepRunner.run(steps(k), events, new Teardowns(), f -> events.add("look " + f.map(x -> x.step()).orElse("")));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i <= k; i++) {
            expected.add("run s" + i);
        }
        expected.add("look s" + k); // diagnostics see everything still in place
        for (int i = k; i >= 0; i--) {
            expected.add("undo s" + i);
        }
        assertEquals(expected, events);
        assertEquals(IntStream.range(0, k).mapToObj(i -> "s" + i).toList(), o.completed());
        assertEquals("s" + k, o.failure().orElseThrow().step());
        assertEquals("s" + k + " broke", o.failure().get().error().getMessage());
    }

    @Test
    void aFailingTeardownDoesNotSkipTheOthers() {
        Teardowns t = new Teardowns();
        t.push("first", () -> events.add("undo first"));
        t.push("broken", () -> {
            throw new IllegalStateException("cannot");
        });
        t.push("last", () -> events.add("undo last"));
        List<Teardowns.Done> done = t.unwind();
        assertEquals(List.of("undo last", "undo first"), events);
        assertEquals("cannot", done.get(1).error());
        assertEquals(List.of("last", "broken", "first"), done.stream().map(Teardowns.Done::name).toList());
    }

    @Test
    void anInterruptEndsTheStepsButNotTheirTeardownAndIsKeptForTheCaller() {
        Step<List<String>> waits = new Step<>() {
            @Override
            public String id() {
                return "waits";
            }

            @Override
            public String description() {
                return "waits for something and is interrupted";
            }

            @Override
            public void run(List<String> log, Teardowns teardowns) {
                teardowns.push("waits", () -> {
                    // a bounded wait in a teardown must not see the run's interrupt
                    log.add("undo waits, interrupted=" + Thread.currentThread().isInterrupted());
                });
                throw SkciException.interrupted("waiting", new InterruptedException());
            }
        };
        StepRunner.Outcome o = StepRunner.run(List.of(step("a", false), waits, step("never", false)), events, new Teardowns(),
                f -> events.add("look " + f.map(x -> SkciException.isInterrupt(x.error())).orElse(false)));
        try {
            assertEquals(List.of("run a", "look true", "undo waits, interrupted=false", "undo a"), events);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is restored for the caller to handle");
            assertFalse(o.completed().contains("never"));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aBrokenLookAtTheFailureStillTearsDown() {
        StepRunner.Outcome o = StepRunner.run(steps(-1), events, new Teardowns(), f -> {
            throw new IllegalStateException("diagnostics broke");
        });
        assertEquals(5, events.stream().filter(e -> e.startsWith("undo")).count());
        assertEquals(Optional.of("before-teardown"), o.failure().map(StepRunner.Failed::step));
    }

    @Test
    void nothingCanBeRegisteredAfterTheTeardown() {
        Teardowns t = new Teardowns();
        t.unwind();
        try {
            t.push("late", () -> {});
            throw new AssertionError("push after unwind must fail");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage().contains("late"));
        }
    }
}
