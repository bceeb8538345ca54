package dev.skci.verdict;

/**
 * One thing a simulation was judged on, reported as one JUnit test case: a harness invariant, the
 * fidelity check, or an expectation (a default one or the user's).
 *
 * @param name a stable name: the default checks' names are listed in docs/expectations.md
 * @param message what was found: why it failed, or what held; never empty for a failure
 */
public record Check(String name, Kind kind, Severity severity, Status status, String message) {
    /** The layers of the verdict (docs/design.md, "The verdict"). */
    public enum Kind {
        /** The harness worked: every pod mutated, none on a real node, nothing refused, cleanup done. */
        HARNESS,
        /** The simulation reproduced the trace. */
        FIDELITY,
        /** What the workload did matched what the team expects. */
        EXPECTATION
    }

    /** {@code warn} reports a failure without failing the run, to roll a gate out gradually. */
    public enum Severity { FAIL, WARN }

    public enum Status {
        PASSED,
        FAILED,
        /** The expression could not be evaluated (a missing map key, a division by zero...). */
        ERROR,
        /** Switched off in the config, with a reason. */
        OFF
    }

    public static Check passed(String name, Kind kind, Severity severity, String message) {
        return new Check(name, kind, severity, Status.PASSED, message);
    }

    public static Check failed(String name, Kind kind, Severity severity, String message) {
        return new Check(name, kind, severity, Status.FAILED, message);
    }

    /** True when this check makes the simulation fail (or be inconclusive): it did not hold and is not a warning. */
    public boolean counts() {
        return severity == Severity.FAIL && (status == Status.FAILED || status == Status.ERROR);
    }

    /** True for a check that did not hold, whether or not it counts. */
    public boolean broken() {
        return status == Status.FAILED || status == Status.ERROR;
    }
}
