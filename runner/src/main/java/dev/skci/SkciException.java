package dev.skci;

import java.util.Objects;

/**
 * A failure that skci reports as one line and maps to an exit code (design §6). Anything that is
 * not a {@code SkciException} is a bug and is reported as such.
 */
public class SkciException extends RuntimeException {
    /** What went wrong, from the user's point of view; each maps to one exit code. */
    public enum Kind {
        /** Bad flags, unreadable or invalid trace, invalid config: nothing was run (exit 2). */
        INVALID_INPUT,
        /** The cluster could not boot, a readiness gate timed out, the API is unreachable (exit 3). */
        ENVIRONMENT,
        /** The overall deadline passed (exit 4). */
        DEADLINE
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
}
