package dev.skci.replay.cron;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A CronJob schedule exactly as Kubernetes reads it: kube-controller-manager parses
 * {@code spec.schedule} with robfig/cron v3's {@code ParseStandard} and asks the result for the next
 * fire time, so this class follows that parser and its {@code Next} rule by rule (written from its
 * documented behaviour, not translated):
 *
 * <ul>
 *   <li>five fields, minute hour day-of-month month day-of-week, split on whitespace; each a
 *       comma-separated list (empty items are ignored) of {@code *}, {@code ?}, {@code N},
 *       {@code N-M}, each optionally {@code /step}; {@code N/step} means {@code N-max/step};
 *       month and day names (jan..dec, sun..sat) in any case; day of week is 0-6 (7 is refused);
 *   <li>a field counts as unrestricted only when its item is {@code *} or {@code ?} with a step of at
 *       most 1: {@code *}{@code /2} is restricted. When day of month and day of week are both
 *       restricted, a day matches if either does (cron's OR); otherwise both must match;
 *   <li>descriptors {@code @yearly @annually @monthly @weekly @daily @midnight @hourly} (exact case)
 *       and {@code @every <Go duration>}; a {@code TZ=zone} or {@code CRON_TZ=zone} prefix, which
 *       Kubernetes still honours for old objects and which then wins over {@code spec.timeZone};
 *   <li>the next time is found field by field in the schedule's zone, so across daylight-saving
 *       changes it does what the controller does: a time in the spring gap is skipped that day, a
 *       time in the autumn overlap fires twice; nothing within five years means never.
 * </ul>
 */
public final class CronSchedule {
    /** Marks a field written as {@code *} or {@code ?} without a step above 1. */
    private static final long STAR = 1L << 63;

    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
            Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
            Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));
    private static final Map<String, Integer> DAYS = Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6);

    private record Bounds(String name, int min, int max, Map<String, Integer> names) {}

    private static final Bounds MINUTE = new Bounds("minute", 0, 59, Map.of());
    private static final Bounds HOUR = new Bounds("hour", 0, 23, Map.of());
    private static final Bounds DOM = new Bounds("day of month", 1, 31, Map.of());
    private static final Bounds MONTH = new Bounds("month", 1, 12, MONTHS);
    private static final Bounds DOW = new Bounds("day of week", 0, 6, DAYS);

    private final String text;
    private final ZoneId zone;
    /** Bit sets per field (bit n = value n, plus {@link #STAR}); null for {@code @every}. */
    private final long[] bits;
    /** The interval of {@code @every}, whole seconds; null for field schedules. */
    private final Duration every;

    private CronSchedule(String text, ZoneId zone, long[] bits, Duration every) {
        this.text = text;
        this.zone = zone;
        this.bits = bits;
        this.every = every;
    }

    /**
     * Parses a schedule; {@code timeZone} is the CronJob's {@code spec.timeZone} (null or blank means
     * UTC, the controller manager's local zone here). Throws {@link IllegalArgumentException} with
     * the reason for a schedule Kubernetes would refuse.
     */
    public static CronSchedule parse(String schedule, String timeZone) {
        if (schedule == null || schedule.isEmpty()) {
            throw new IllegalArgumentException("the schedule is empty");
        }
        String spec = schedule;
        ZoneId zone = zone(timeZone == null || timeZone.isBlank() ? "UTC" : timeZone);
        if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
            int space = spec.indexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException("schedule '" + schedule + "' has a time zone but no schedule");
            }
            zone = zone(spec.substring(spec.indexOf('=') + 1, space));
            spec = spec.substring(space).strip();
        }
        if (spec.startsWith("@")) {
            return descriptor(schedule, spec, zone);
        }
        List<String> fields = Arrays.stream(spec.split("\\s+")).filter(f -> !f.isEmpty()).toList();
        if (fields.size() != 5) {
            throw new IllegalArgumentException("schedule '" + schedule + "' must have exactly 5 fields (minute hour day-of-month "
                    + "month day-of-week) or be a descriptor like @hourly; found " + fields.size());
        }
        long[] bits = {
            field(fields.get(0), MINUTE), field(fields.get(1), HOUR), field(fields.get(2), DOM),
            field(fields.get(3), MONTH), field(fields.get(4), DOW)
        };
        return new CronSchedule(schedule, zone, bits, null);
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + id + "'");
        }
    }

    private static CronSchedule descriptor(String schedule, String spec, ZoneId zone) {
        String fields = switch (spec) {
            case "@yearly", "@annually" -> "0 0 1 1 *";
            case "@monthly" -> "0 0 1 * *";
            case "@weekly" -> "0 0 * * 0";
            case "@daily", "@midnight" -> "0 0 * * *";
            case "@hourly" -> "0 * * * *";
            default -> null;
        };
        if (fields != null) {
            String[] f = fields.split(" ");
            long[] bits = {field(f[0], MINUTE), field(f[1], HOUR), field(f[2], DOM), field(f[3], MONTH), field(f[4], DOW)};
            return new CronSchedule(schedule, zone, bits, null);
        }
        if (spec.startsWith("@every ")) {
            Duration d = GoDuration.parse(spec.substring("@every ".length()));
            // Less than a second becomes a second; fractions of a second are dropped.
            Duration whole = d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : Duration.ofSeconds(d.getSeconds());
            return new CronSchedule(schedule, zone, null, whole);
        }
        throw new IllegalArgumentException("unrecognized descriptor '" + spec + "' (descriptors are @yearly, @annually, @monthly, "
                + "@weekly, @daily, @midnight, @hourly and @every <duration>)");
    }

    private static long field(String spec, Bounds b) {
        long bits = 0;
        for (String item : spec.split(",")) {
            if (!item.isEmpty()) {
                bits |= range(item, b);
            }
        }
        return bits;
    }

    private static long range(String expr, Bounds b) {
        String[] rangeAndStep = expr.split("/", -1);
        String[] lowHigh = rangeAndStep[0].split("-", -1);
        int start;
        int end;
        long extra = 0;
        if (lowHigh[0].equals("*") || lowHigh[0].equals("?")) {
            // Like robfig/cron, anything after "*-" is ignored: "*-5" is "*".
            start = b.min();
            end = b.max();
            extra = STAR;
        } else {
            start = intOrName(lowHigh[0], b, expr);
            end = switch (lowHigh.length) {
                case 1 -> start;
                case 2 -> intOrName(lowHigh[1], b, expr);
                default -> throw new IllegalArgumentException(b.name() + " '" + expr + "' has too many hyphens");
            };
        }
        int step;
        switch (rangeAndStep.length) {
            case 1 -> step = 1;
            case 2 -> {
                step = number(rangeAndStep[1], b, expr);
                if (lowHigh.length == 1) {
                    end = b.max(); // "N/step" means "N-max/step"
                }
                if (step > 1) {
                    extra = 0; // "*/2" is restricted
                }
            }
            default -> throw new IllegalArgumentException(b.name() + " '" + expr + "' has too many slashes");
        }
        if (start < b.min()) {
            throw new IllegalArgumentException(b.name() + " '" + expr + "' starts at " + start + ", below " + b.min() + " (" + b.min() + "-" + b.max() + ")");
        }
        if (end > b.max()) {
            throw new IllegalArgumentException(b.name() + " '" + expr + "' ends at " + end + ", above " + b.max() + " (" + b.min() + "-" + b.max() + ")");
        }
        if (start > end) {
            throw new IllegalArgumentException(b.name() + " '" + expr + "' starts after it ends");
        }
        if (step == 0) {
            throw new IllegalArgumentException(b.name() + " '" + expr + "': the step must be a positive number");
        }
        long bits = 0;
        for (int v = start; v <= end; v += step) {
            bits |= 1L << v;
        }
        return bits | extra;
    }

    private static int intOrName(String s, Bounds b, String expr) {
        Integer named = b.names().get(s.toLowerCase(Locale.ROOT));
        return named != null ? named : number(s, b, expr);
    }

    private static int number(String s, Bounds b, String expr) {
        int v;
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(b.name() + " '" + expr + "': '" + s + "' is not a number"
                    + (b.names().isEmpty() ? "" : " or a name"));
        }
        if (v < 0) {
            throw new IllegalArgumentException(b.name() + " '" + expr + "': negative numbers are not allowed");
        }
        return v;
    }

    /** The first fire time strictly after {@code after} (at whole seconds), or empty when there is none within five years. */
    public Optional<Instant> next(Instant after) {
        if (every != null) {
            return Optional.of(after.plus(every).minusNanos(after.getNano()));
        }
        ZonedDateTime t = after.atZone(zone).plusSeconds(1).minusNanos(after.getNano());
        boolean added = false;
        int yearLimit = t.getYear() + 5;
        wrap:
        while (true) {
            if (t.getYear() > yearLimit) {
                return Optional.empty();
            }
            while (!has(3, t.getMonthValue())) {
                if (!added) {
                    added = true;
                    t = localDate(t.toLocalDate().withDayOfMonth(1), LocalTime.MIDNIGHT);
                }
                t = localDate(addMonth(t.toLocalDate()), t.toLocalTime());
                if (t.getMonthValue() == 1) {
                    continue wrap;
                }
            }
            while (!dayMatches(t)) {
                if (!added) {
                    added = true;
                    t = localDate(t.toLocalDate(), LocalTime.MIDNIGHT);
                }
                t = localDate(t.toLocalDate().plusDays(1), t.toLocalTime());
                // Where midnight does not exist (a DST change at 00:00) the day starts at 01:00 or
                // 23:00; move back onto the day's first hour.
                if (t.getHour() != 0) {
                    t = t.getHour() > 12 ? t.plusHours(24 - t.getHour()) : t.minusHours(t.getHour());
                }
                if (t.getDayOfMonth() == 1) {
                    continue wrap;
                }
            }
            while (!has(1, t.getHour())) {
                if (!added) {
                    added = true;
                    t = localDate(t.toLocalDate(), LocalTime.of(t.getHour(), 0));
                }
                t = t.plusHours(1); // on the instant time-line: a skipped hour is skipped
                if (t.getHour() == 0) {
                    continue wrap;
                }
            }
            while (!has(0, t.getMinute())) {
                if (!added) {
                    added = true;
                    t = t.toInstant().truncatedTo(ChronoUnit.MINUTES).atZone(zone);
                }
                t = t.plusMinutes(1);
                if (t.getMinute() == 0) {
                    continue wrap;
                }
            }
            while (t.getSecond() != 0) { // the seconds field of a standard schedule is 0
                if (!added) {
                    added = true;
                    t = t.toInstant().truncatedTo(ChronoUnit.SECONDS).atZone(zone);
                }
                t = t.plusSeconds(1);
                if (t.getSecond() == 0) {
                    continue wrap;
                }
            }
            return Optional.of(t.toInstant());
        }
    }

    private boolean has(int field, int value) {
        return (bits[field] & (1L << value)) != 0;
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = has(2, t.getDayOfMonth());
        boolean dow = has(4, t.getDayOfWeek().getValue() % 7);
        if ((bits[2] & STAR) != 0 || (bits[4] & STAR) != 0) {
            return dom && dow;
        }
        return dom || dow;
    }

    /** Day {@code d} of the next month, letting a day past its end run into the month after, as Go's calendar does. */
    private static LocalDate addMonth(LocalDate d) {
        return d.withDayOfMonth(1).plusMonths(1).plusDays(d.getDayOfMonth() - 1L);
    }

    /**
     * A wall-clock time in the schedule's zone resolved the way Go's {@code time.Date} resolves it: the
     * offset in force at the wall-clock value read as UTC, corrected once if that instant lies in
     * another period. In a spring gap this lands an hour early, where java.time would land an hour
     * late; in an autumn overlap both choose the first occurrence.
     */
    private ZonedDateTime localDate(LocalDate date, LocalTime time) {
        ZoneRules rules = zone.getRules();
        long unix = LocalDateTime.of(date, time).toEpochSecond(ZoneOffset.UTC);
        int offset = rules.getOffset(Instant.ofEpochSecond(unix)).getTotalSeconds();
        if (offset != 0) {
            int corrected = rules.getOffset(Instant.ofEpochSecond(unix - offset)).getTotalSeconds();
            if (corrected != offset) {
                offset = corrected;
            }
        }
        return Instant.ofEpochSecond(unix - offset).atZone(zone);
    }

    @Override
    public String toString() {
        return text + (zone.getId().equals("UTC") ? "" : " (" + zone + ")");
    }

    /** Go's {@code time.ParseDuration}: a signed sequence of decimal numbers with units ns, us, µs, ms, s, m, h. */
    static final class GoDuration {
        private static final Map<String, BigDecimal> NANOS = Map.of("ns", BigDecimal.ONE, "us", BigDecimal.valueOf(1_000),
                "µs", BigDecimal.valueOf(1_000), "μs", BigDecimal.valueOf(1_000), "ms", BigDecimal.valueOf(1_000_000),
                "s", BigDecimal.valueOf(1_000_000_000L), "m", BigDecimal.valueOf(60_000_000_000L),
                "h", BigDecimal.valueOf(3_600_000_000_000L));

        private GoDuration() {}

        static Duration parse(String s) {
            String in = s;
            boolean negative = false;
            if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
                negative = s.charAt(0) == '-';
                s = s.substring(1);
            }
            if (s.equals("0")) {
                return Duration.ZERO;
            }
            if (s.isEmpty()) {
                throw bad(in);
            }
            BigDecimal total = BigDecimal.ZERO;
            int i = 0;
            while (i < s.length()) {
                int start = i;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                String number = s.substring(start, i);
                if (number.isEmpty() || number.equals(".") || number.chars().filter(c -> c == '.').count() > 1) {
                    throw bad(in);
                }
                int unitStart = i;
                while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                    i++;
                }
                BigDecimal unit = NANOS.get(s.substring(unitStart, i));
                if (unit == null) {
                    throw bad(in);
                }
                total = total.add(new BigDecimal(number.startsWith(".") ? "0" + number : number).multiply(unit));
            }
            long nanos = total.longValue();
            return Duration.ofNanos(negative ? -nanos : nanos);
        }

        private static IllegalArgumentException bad(String s) {
            return new IllegalArgumentException("'" + s + "' is not a duration (e.g. 90s, 1h30m)");
        }
    }
}
