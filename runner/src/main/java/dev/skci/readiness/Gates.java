package dev.skci.readiness;

import dev.skci.SkciException;
import dev.skci.wait.Wait;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Passes readiness gates in order. Each gate waits up to its own timeout ({@link Gate#defaultTimeout},
 * or {@code --gate-timeout}), prints a progress line every few seconds while it waits and one status
 * line when it passes. A gate that times out stops the run with an environment error (exit 3) naming the
 * gate, what is missing, and where to look; the results so far stay available for the diagnostics bundle.
 */
public final class Gates {
    public static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final Map<String, Duration> timeouts;
    private final PrintStream console;
    private final List<GateResult> results = Collections.synchronizedList(new ArrayList<>());

    /** @param timeouts per-gate overrides ({@code --gate-timeout}); ids must be in {@link GateCatalog} */
    public Gates(Map<String, Duration> timeouts, PrintStream console) {
        Map<String, Duration> all = new HashMap<>();
        GateCatalog.ALL.forEach(g -> all.put(g.id(), g.defaultTimeout()));
        all.putAll(timeouts);
        this.timeouts = Map.copyOf(all);
        this.console = console;
    }

    public Duration timeout(String id) {
        return timeouts.getOrDefault(id, Gate.DEFAULT_TIMEOUT);
    }

    /** Passes (or skips) every gate of {@code phase}, in catalog order. */
    public void pass(Gate.Phase phase, GateContext context) {
        for (Gate g : GateCatalog.of(phase)) {
            var skip = g.notApplicable(context);
            if (skip.isPresent()) {
                skip(g, skip.get());
            } else {
                pass(g, context);
            }
        }
    }

    /** Waits for the gate; throws an environment error when it times out. */
    public void pass(Gate gate, GateContext context) {
        Duration timeout = timeout(gate.id());
        long start = System.nanoTime();
        try {
            Wait.Passed passed = Wait.poll("gate " + gate.id(), timeout).every(POLL).progressEvery(PROGRESS_EVERY)
                    .progress((waited, of, missing) -> console.printf(Locale.ROOT, "skci: gate %-16s waiting (%ds of %ds): %s%n",
                            gate.id(), waited.toSeconds(), of.toSeconds(), missing))
                    .onTimeout(t -> {
                        results.add(new GateResult(gate.id(), gate.description(), GateResult.Status.FAILED, t.waited(), t.missing()));
                        return SkciException.environment("readiness gate '" + gate.id() + "' (" + gate.description()
                                + ") timed out after " + timeout.toSeconds() + " s: " + t.missing() + "; look at "
                                + gate.hint(context) + " (raise the limit with --gate-timeout " + gate.id() + "=<duration>)");
                    })
                    .until(() -> gate.check(context));
            results.add(new GateResult(gate.id(), gate.description(), GateResult.Status.PASSED, passed.waited(), null));
            console.printf(Locale.ROOT, "skci: gate %-16s passed (%.1fs) %s%n", gate.id(), passed.waited().toMillis() / 1000.0,
                    gate.description());
        } catch (SkciException e) {
            if (e.kind() != SkciException.Kind.ENVIRONMENT || results.stream().noneMatch(r -> r.id().equals(gate.id()))) {
                results.add(new GateResult(gate.id(), gate.description(), GateResult.Status.FAILED,
                        Duration.ofNanos(System.nanoTime() - start), e.getMessage()));
            }
            throw e;
        }
    }

    /** Records a gate that does not apply to this run (e.g. cert-manager gates with the self-signed CA). */
    public void skip(Gate gate, String why) {
        results.add(new GateResult(gate.id(), gate.description(), GateResult.Status.SKIPPED, Duration.ZERO, why));
        console.printf(Locale.ROOT, "skci: gate %-16s skipped: %s%n", gate.id(), why);
    }

    public List<GateResult> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    /** The total time spent in gates so far. */
    public Duration total() {
        return results().stream().map(GateResult::waited).reduce(Duration.ZERO, Duration::plus);
    }
}
