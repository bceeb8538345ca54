package dev.skci.readiness;

/**
 * One readiness condition. {@link #check} is called repeatedly until it passes or the gate's timeout
 * ends; it returns null when the condition holds, otherwise what is still missing (one line), which
 * becomes the progress line and, at the timeout, the failure message.
 */
public interface Gate {
    /** A short stable id, used in flags ({@code --gate-timeout ca-bundle=5m}) and reports. */
    String id();

    /** What the gate proves, for progress lines. */
    String description();

    /** Null when ready; otherwise what is missing. Must not block for long. */
    String check() throws Exception;

    /** Where to look when the gate times out: a log, a resource, a command. */
    String hint();

    /** A gate from its parts. */
    static Gate of(String id, String description, String hint, Check check) {
        return new Gate() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public String check() throws Exception {
                return check.missing();
            }

            @Override
            public String hint() {
                return hint;
            }
        };
    }

    @FunctionalInterface
    interface Check {
        String missing() throws Exception;
    }
}
