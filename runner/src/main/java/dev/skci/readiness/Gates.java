package dev.skci.readiness;

import dev.skci.SkciException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs readiness gates in order. Each gate waits up to its own timeout, prints a progress line every few
 * seconds while it waits and one status line when it passes. A gate that times out stops the run with an
 * environment error (exit 3) naming the gate, what is missing, and where to look; the results so far
 * stay available for the diagnostics bundle.
 */
public final class Gates {
    public static final Duration POLL = Duration.ofMillis(100);

    /** Every gate id, in the order gates run. */
    public static final List<String> IDS = List.of("api-server", "kwok", "virtual-nodes", "cert-manager", "issuers",
            "certificate", "secret", "ca-bundle", "webhook-serving", "probe");

    /** The default wait of each gate: 60 s, but the caBundle gate waits out a slow cainjector (the postmortem's took a minute). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final Map<String, Duration> DEFAULT_TIMEOUTS = Map.of("ca-bundle", Duration.ofSeconds(180));
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final Map<String, Duration> timeouts;
    private final Duration defaultTimeout;
    private final PrintStream console;
    private final List<GateResult> results = Collections.synchronizedList(new ArrayList<>());

    public Gates(Map<String, Duration> timeouts, Duration defaultTimeout, PrintStream console) {
        Map<String, Duration> all = new java.util.HashMap<>(DEFAULT_TIMEOUTS);
        all.putAll(timeouts);
        this.timeouts = Map.copyOf(all);
        this.defaultTimeout = defaultTimeout;
        this.console = console;
    }

    public Duration timeout(String id) {
        return timeouts.getOrDefault(id, defaultTimeout);
    }

    /** Waits for the gate; throws an environment error when it times out. */
    public void pass(Gate gate) throws InterruptedException {
        Duration timeout = timeout(gate.id());
        long start = System.nanoTime();
        long nextProgress = start + PROGRESS_EVERY.toNanos();
        String missing;
        while (true) {
            try {
                missing = gate.check();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                missing = "checking failed: " + e.getMessage();
            }
            long now = System.nanoTime();
            Duration waited = Duration.ofNanos(now - start);
            if (missing == null) {
                results.add(new GateResult(gate.id(), gate.description(), GateResult.Status.PASSED, waited, null));
                console.printf(Locale.ROOT, "skci: gate %-16s passed (%.1fs) %s%n", gate.id(), waited.toMillis() / 1000.0,
                        gate.description());
                return;
            }
            if (waited.compareTo(timeout) >= 0) {
                results.add(new GateResult(gate.id(), gate.description(), GateResult.Status.FAILED, waited, missing));
                throw SkciException.environment("readiness gate '" + gate.id() + "' (" + gate.description() + ") timed out after "
                        + timeout.toSeconds() + " s: " + missing + "; look at " + gate.hint()
                        + " (raise the limit with --gate-timeout " + gate.id() + "=<duration>)");
            }
            if (now >= nextProgress) {
                console.printf(Locale.ROOT, "skci: gate %-16s waiting (%ds of %ds): %s%n", gate.id(), waited.toSeconds(),
                        timeout.toSeconds(), missing);
                nextProgress = now + PROGRESS_EVERY.toNanos();
            }
            Thread.sleep(POLL.toMillis());
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
