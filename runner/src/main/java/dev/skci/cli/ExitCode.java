package dev.skci.cli;

import dev.skci.SkciException;

/** The exit-code contract of design §6. CI systems and users script against these numbers. */
public enum ExitCode {
    PASSED(0),
    FAILED(1),
    INVALID_INPUT(2),
    ENVIRONMENT(3),
    DEADLINE(4),
    INTERRUPTED(130),
    TERMINATED(143);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ExitCode of(SkciException.Kind kind) {
        return switch (kind) {
            case INVALID_INPUT -> INVALID_INPUT;
            case ENVIRONMENT -> ENVIRONMENT;
            case DEADLINE -> DEADLINE;
        };
    }
}
