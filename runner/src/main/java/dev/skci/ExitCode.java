package dev.skci;

/**
 * The exit-code contract (docs/design.md, "Exit codes"): what CI systems and users script against.
 * Each code says whose fault it is.
 */
public enum ExitCode {
    PASSED(0),
    FAILED(1),
    INVALID_INPUT(2),
    ENVIRONMENT(3),
    DEADLINE(4),
    /** The simulation did not reproduce the trace faithfully: no verdict on the change. */
    INCONCLUSIVE(5),
    INTERRUPTED(130),
    TERMINATED(143);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /**
     * The code for a failure of this kind. An interrupt has none of its own: it is the signal's or the
     * deadline's, which only the caller knows; {@code interruptedAs} is that code.
     */
    public static ExitCode of(SkciException.Kind kind, ExitCode interruptedAs) {
        return switch (kind) {
            case INVALID_INPUT -> INVALID_INPUT;
            case ENVIRONMENT -> ENVIRONMENT;
            case DEADLINE -> DEADLINE;
            case INTERRUPTED -> interruptedAs;
        };
    }
}
