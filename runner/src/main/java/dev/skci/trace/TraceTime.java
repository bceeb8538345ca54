package dev.skci.trace;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;

/**
 * Trace timestamps are whole Unix seconds. These helpers print them as RFC 3339 UTC and durations as
 * {@code 3m25s}; printing never fails, because a corrupt trace can hold any 64-bit value.
 */
public final class TraceTime {
    private TraceTime() {}

    private static final DateTimeFormatter RFC3339 = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .appendOffset("+HH:MM", "Z")
            .toFormatter();

    /** {@code 2025-03-29T22:20:23Z}, or the raw number when it is outside the calendar Java can print. */
    public static String rfc3339(long ts) {
        try {
            return Instant.ofEpochSecond(ts).toString();
        } catch (DateTimeException | ArithmeticException e) {
            return "unix " + ts;
        }
    }

    /**
     * Parses an RFC 3339 time with an offset ({@code 2025-03-29T22:20:23Z}, {@code ...+02:00}) into Unix
     * seconds. Throws {@link IllegalArgumentException} with the reason; fractions of a second are refused
     * because trace times are whole seconds.
     */
    public static long parseRfc3339(String s) {
        OffsetDateTime t;
        try {
            t = OffsetDateTime.parse(s, RFC3339);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + s + "' is not an RFC 3339 time such as 2025-03-29T22:20:23Z");
        }
        if (t.getNano() != 0) {
            throw new IllegalArgumentException("'" + s + "' has a fraction of a second; trace times are whole seconds");
        }
        return t.toEpochSecond();
    }

    /** A compact duration: {@code 0s}, {@code 45s}, {@code 3m25s}, {@code 2h5m}, {@code 3d4h}; negative gets a '-'. */
    public static String duration(long seconds) {
        if (seconds < 0) {
            return seconds == Long.MIN_VALUE ? "-" + Long.toUnsignedString(seconds) + "s" : "-" + duration(-seconds);
        }
        long d = seconds / 86_400;
        long h = seconds % 86_400 / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        if (d > 0) {
            return d + "d" + (h > 0 ? h + "h" : "");
        }
        if (h > 0) {
            return h + "h" + (m > 0 ? m + "m" : "");
        }
        if (m > 0) {
            return m + "m" + (s > 0 ? s + "s" : "");
        }
        return s + "s";
    }

    /** {@code b - a} without overflow: saturates at the long range (only corrupt traces get there). */
    public static long span(long a, long b) {
        long r = b - a;
        if (((b ^ a) & (b ^ r)) < 0) {
            return b > a ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return r;
    }
}
