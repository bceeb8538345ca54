package dev.skci.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them, in flags and in skci.yaml alike: {@code 90s}, {@code 5m},
 * {@code 1h30m}, {@code 250ms}, a leading {@code +} as in SimKube's {@code +5m}, a plain number of
 * seconds, or ISO-8601 ({@code PT5M}).
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    private Durations() {}

    /** @throws IllegalArgumentException with a message saying how to write one */
    public static Duration parse(String value) {
        String s = value.trim();
        if (s.startsWith("+")) {
            s = s.substring(1);
        }
        if (s.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        if (s.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw bad(value);
            }
        }
        Matcher m = PART.matcher(s);
        int at = 0;
        double millis = 0;
        while (m.find() && m.start() == at) {
            double n = Double.parseDouble(m.group(1));
            millis += n * switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
            at = m.end();
        }
        if (at == 0 || at != s.length()) {
            throw bad(value);
        }
        return Duration.ofMillis(Math.round(millis));
    }

    private static IllegalArgumentException bad(String value) {
        return new IllegalArgumentException("'" + value + "' is not a duration; write e.g. 90s, 5m, 1h30m or 250ms");
    }
}
