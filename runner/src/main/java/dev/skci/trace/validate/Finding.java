package dev.skci.trace.validate;

import java.util.Objects;

/**
 * One thing {@link Validator} found. Where it was found is as precise as the rule allows: the event
 * index and its timestamp for things inside events, the object as {@code apiVersion kind ns/name}; each
 * of these is null when it does not apply (a config problem has none of them).
 */
public record Finding(Severity severity, String rule, Integer eventIndex, Long ts, String object, String message) {

    public enum Severity {
        /** The trace cannot be replayed faithfully (or at all); {@code skci validate} exits 2. */
        ERROR,
        /** Worth knowing; the trace still replays. */
        WARNING;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Finding {
        Objects.requireNonNull(severity);
        Objects.requireNonNull(rule);
        Objects.requireNonNull(message);
    }

    /** {@code error ts-backwards: event 3 (ts 1743286800, 2025-03-29T22:20:00Z) batch/v1 CronJob default/hello: ...}. */
    public String toText() {
        StringBuilder where = new StringBuilder();
        if (eventIndex != null) {
            where.append("event ").append(eventIndex);
            if (ts != null) {
                where.append(" (ts ").append(ts).append(", ").append(dev.skci.trace.TraceTime.rfc3339(ts)).append(')');
            }
        } else if (ts != null) {
            where.append("at ").append(dev.skci.trace.TraceTime.rfc3339(ts)).append(" (ts ").append(ts).append(')');
        }
        if (object != null) {
            where.append(where.isEmpty() ? "" : " ").append(object);
        }
        return dev.skci.trace.OneLine.of(severity.label() + " " + rule + ": " + (where.isEmpty() ? "" : where + ": ") + message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
