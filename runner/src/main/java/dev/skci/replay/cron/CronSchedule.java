package dev.skci.replay.cron;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A CronJob schedule as Kubernetes reads it (robfig/cron's standard parser): five fields
 * (minute hour day-of-month month day-of-week) with {@code *}, {@code ?}, lists, ranges, steps and
 * month/day names, or a descriptor ({@code @hourly}, {@code @daily}...). As in cron, when both
 * day-of-month and day-of-week are restricted, a day matches if either does.
 */
public final class CronSchedule {
    private static final Map<String, String> DESCRIPTORS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean domStar;
    private final boolean dowStar;
    private final ZoneId zone;

    private CronSchedule(String text, String[] f, ZoneId zone) {
        this.text = text;
        this.zone = zone;
        minutes = field(f[0], 0, 59, null, "minute");
        hours = field(f[1], 0, 23, null, "hour");
        daysOfMonth = field(f[2], 1, 31, null, "day of month");
        months = field(f[3], 1, 12, MONTHS, "month");
        BitSet dow = field(f[4], 0, 7, DAYS, "day of week");
        if (dow.get(7)) {
            dow.set(0); // 7 is Sunday too
        }
        daysOfWeek = dow;
        domStar = f[2].startsWith("*") || f[2].equals("?");
        dowStar = f[4].startsWith("*") || f[4].equals("?");
    }

    /** Parses a schedule; {@code timeZone} is the CronJob's {@code spec.timeZone} (null means UTC). */
    public static CronSchedule parse(String schedule, String timeZone) {
        String s = schedule.trim();
        String expanded = DESCRIPTORS.getOrDefault(s.toLowerCase(Locale.ROOT), s);
        String[] f = expanded.split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("schedule '" + schedule + "' must have 5 fields or be a descriptor like @hourly");
        }
        ZoneId zone;
        try {
            zone = timeZone == null || timeZone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(timeZone);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + timeZone + "'");
        }
        return new CronSchedule(schedule, f, zone);
    }

    /** The first fire time strictly after {@code after}, within ~5 years, or empty. */
    public Optional<Instant> next(Instant after) {
        ZonedDateTime t = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = t.plusYears(5);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.plusMonths(1).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
                continue;
            }
            if (!dayMatches(t)) {
                t = t.plusDays(1).truncatedTo(ChronoUnit.DAYS);
                continue;
            }
            if (!hours.get(t.getHour())) {
                t = t.plusHours(1).truncatedTo(ChronoUnit.HOURS);
                continue;
            }
            if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
                continue;
            }
            return Optional.of(t.toInstant());
        }
        return Optional.empty();
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
        if (domStar || dowStar) {
            return dom && dow;
        }
        return dom || dow;
    }

    private static BitSet field(String spec, int min, int max, String[] names, String what) {
        BitSet bits = new BitSet(max + 1);
        for (String part : spec.split(",", -1)) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(part.substring(slash + 1), 1, Integer.MAX_VALUE, null, what);
                range = part.substring(0, slash);
            }
            int lo;
            int hi;
            if (range.equals("*") || range.equals("?")) {
                lo = min;
                hi = max;
            } else if (range.contains("-")) {
                String[] ab = range.split("-", -1);
                if (ab.length != 2) {
                    throw new IllegalArgumentException("bad " + what + " range '" + range + "'");
                }
                lo = number(ab[0], min, max, names, what);
                hi = number(ab[1], min, max, names, what);
            } else {
                lo = number(range, min, max, names, what);
                hi = slash >= 0 ? max : lo;
            }
            if (lo > hi) {
                throw new IllegalArgumentException("bad " + what + " range '" + range + "'");
            }
            for (int v = lo; v <= hi; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private static int number(String s, int min, int max, String[] names, String what) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase(s)) {
                    return i + (names == MONTHS ? 1 : 0);
                }
            }
        }
        int v;
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + what + " '" + s + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " " + v + " is outside " + min + "-" + max);
        }
        return v;
    }

    @Override
    public String toString() {
        return text + (zone.getId().equals("UTC") ? "" : " (" + zone + ")");
    }
}
