package dev.skci;

import java.util.Objects;

/**
 * A failure that skci reports as one line and maps to an exit code (docs/design.md, "Exit codes").
 * Anything that is not a {@code SkciException} is a bug and is reported as such.
 */
public class SkciException extends RuntimeException {
    /** What went wrong, from the user's point of view; each maps to one exit code. */
    public enum Kind {
        /** Bad flags, unreadable or invalid trace, invalid config: nothing was run (exit 2). */
        INVALID_INPUT,
        /** The cluster could not boot, a readiness gate timed out, the API is unreachable (exit 3). */
        ENVIRONMENT,
        /** The overall deadline passed (exit 4). */
        DEADLINE,
        /**
         * The run was interrupted: by SIGINT/SIGTERM or by the deadline's watchdog. The exit code depends on
         * which (130, 143 or 4); the top level knows and decides.
         */
        INTERRUPTED
    }

    private final Kind kind;

    public SkciException(Kind kind, String message) {
        this(kind, message, null);
    }

    public SkciException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind);
    }

    public Kind kind() {
        return kind;
    }

    public static SkciException invalidInput(String message) {
        return new SkciException(Kind.INVALID_INPUT, message);
    }

    public static SkciException environment(String message) {
        return new SkciException(Kind.ENVIRONMENT, message);
    }

    public static SkciException environment(String message, Throwable cause) {
        return new SkciException(Kind.ENVIRONMENT, message, cause);
    }

    /**
     * The one way skci handles an interrupt it cannot pass on as {@link InterruptedException}: keep the
     * thread's interrupt flag set (so later waits end at once too) and unwind as this failure.
     */
    public static SkciException interrupted(String during, InterruptedException cause) {
        Thread.currentThread().interrupt();
        return new SkciException(Kind.INTERRUPTED, "interrupted while " + during, cause);
    }

    /** True for an interrupt in either form. */
    public static boolean isInterrupt(Throwable t) {
        return t instanceof InterruptedException || t instanceof SkciException s && s.kind() == Kind.INTERRUPTED;
    }
}
