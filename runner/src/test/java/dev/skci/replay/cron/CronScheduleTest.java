package dev.skci.replay.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
    private static Instant next(String schedule, String after) {
        return CronSchedule.parse(schedule, null).next(Instant.parse(after)).orElseThrow();
    }

    @Test
    void everyMinuteFiresAtTheNextMinuteBoundary() {
        // The shared cronjob trace: created 22:20:23, pods started 22:21:01, 22:22:01, 22:23:01.
        assertEquals(Instant.parse("2025-03-29T22:21:00Z"), next("* * * * *", "2025-03-29T22:20:23Z"));
        assertEquals(Instant.parse("2025-03-29T22:22:00Z"), next("* * * * *", "2025-03-29T22:21:00Z"));
    }

    @Test
    void stepsRangesListsAndNames() {
        assertEquals(Instant.parse("2025-01-01T00:15:00Z"), next("*/15 * * * *", "2025-01-01T00:00:00Z"));
        assertEquals(Instant.parse("2025-01-01T09:30:00Z"), next("30 9-17 * * *", "2025-01-01T00:00:00Z"));
        assertEquals(Instant.parse("2025-01-06T00:00:00Z"), next("0 0 * * MON", "2025-01-01T00:00:00Z"));
        assertEquals(Instant.parse("2025-03-01T00:00:00Z"), next("0 0 1 mar,jun *", "2025-01-15T00:00:00Z"));
        assertEquals(Instant.parse("2025-01-05T00:00:00Z"), next("0 0 * * 7", "2025-01-01T00:00:00Z"), "7 is Sunday");
    }

    @Test
    void dayOfMonthOrDayOfWeekWhenBothAreRestricted() {
        // The 15th, or any Monday: Jan 6 2025 is a Monday, before the 15th.
        assertEquals(Instant.parse("2025-01-06T00:00:00Z"), next("0 0 15 * 1", "2025-01-01T00:00:00Z"));
    }

    @Test
    void descriptorsAndTimeZones() {
        assertEquals(Instant.parse("2025-01-01T01:00:00Z"), next("@hourly", "2025-01-01T00:00:00Z"));
        Instant ny = CronSchedule.parse("0 9 * * *", "America/New_York").next(Instant.parse("2025-01-01T00:00:00Z")).orElseThrow();
        assertEquals(Instant.parse("2025-01-01T14:00:00Z"), ny);
    }

    @Test
    void badSchedulesAreRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("* * * *", null));
        assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("61 * * * *", null));
        assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("* * * * *", "Mars/Olympus"));
    }
}
