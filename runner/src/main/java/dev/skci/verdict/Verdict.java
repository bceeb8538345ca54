package dev.skci.verdict;

import java.util.List;

/**
 * The outcome of one simulation and every check it was judged on. A broken harness invariant fails the
 * run; otherwise a simulation that did not reproduce the trace is inconclusive (its expectations say
 * nothing about the change); otherwise a failed expectation fails it. Warnings never do.
 */
public record Verdict(Outcome outcome, List<Check> checks) {
    public enum Outcome {
        PASSED,
        /** The change failed its checks (exit 1). */
        FAILED,
        /** The simulation did not keep up with the trace; no verdict on the change (exit 5). */
        INCONCLUSIVE
    }

    public Verdict {
        checks = List.copyOf(checks);
    }

    public static Verdict of(List<Check> checks) {
        Outcome o = Outcome.PASSED;
        if (checks.stream().anyMatch(c -> c.counts() && c.kind() == Check.Kind.HARNESS)) {
            o = Outcome.FAILED;
        } else if (checks.stream().anyMatch(c -> c.counts() && c.kind() == Check.Kind.FIDELITY)) {
            o = Outcome.INCONCLUSIVE;
        } else if (checks.stream().anyMatch(Check::counts)) {
            o = Outcome.FAILED;
        }
        return new Verdict(o, checks);
    }

    /** A verdict from harness reasons alone (each a failed invariant); no reasons is a pass. */
    public static Verdict ofReasons(List<String> reasons) {
        return of(reasons.stream().map(r -> Check.failed("harness", Check.Kind.HARNESS, Check.Severity.FAIL, r)).toList());
    }

    public boolean passed() {
        return outcome == Outcome.PASSED;
    }

    /** Why it did not pass: the message of every check that counts, in order. */
    public List<String> reasons() {
        return checks.stream().filter(Check::counts).map(Check::message).toList();
    }

    /** Checks that did not hold but only warn. */
    public List<Check> warnings() {
        return checks.stream().filter(c -> c.broken() && c.severity() == Check.Severity.WARN).toList();
    }
}
