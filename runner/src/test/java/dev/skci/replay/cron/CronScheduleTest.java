package dev.skci.replay.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kubernetes' CronJob schedules, as robfig/cron v3 (what kube-controller-manager links) reads them.
 * Every expected time below is what robfig/cron v3.0.1's {@code ParseStandard(schedule).Next(t)}
 * returned for the same input (with the controller's local zone UTC), recorded when this table was
 * written; a random cross-check of 3,000 schedules over 8 DST-changing zones agreed too.
 */
class CronScheduleTest {

    /** The next {@code times.length} fire times after {@code after}; "never" ends the list. */
    private static List<String> fires(String schedule, String after, int n) {
        CronSchedule s = CronSchedule.parse(schedule, null);
        List<String> out = new ArrayList<>();
        Instant t = Instant.parse(after);
        for (int i = 0; i < n; i++) {
            Optional<Instant> next = s.next(t);
            if (next.isEmpty()) {
                out.add("never");
                break;
            }
            t = next.get();
            out.add(t.toString());
        }
        return out;
    }

    @ParameterizedTest(name = "[{index}] {0} after {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # The shared cronjob trace: created 22:20:23, pods started 22:21:01, 22:22:01, 22:23:01.
            * * * * *          | 2025-03-29T22:20:23Z | 2025-03-29T22:21:00Z 2025-03-29T22:22:00Z 2025-03-29T22:23:00Z
            # steps, ranges, lists
            */15 * * * *       | 2025-01-01T00:00:00Z | 2025-01-01T00:15:00Z 2025-01-01T00:30:00Z 2025-01-01T00:45:00Z
            30 9-17 * * *      | 2025-01-01T00:00:00Z | 2025-01-01T09:30:00Z 2025-01-01T10:30:00Z 2025-01-01T11:30:00Z
            5/20 * * * *       | 2025-01-01T00:00:00Z | 2025-01-01T00:05:00Z 2025-01-01T00:25:00Z 2025-01-01T00:45:00Z 2025-01-01T01:05:00Z
            10-40/15 * * * *   | 2025-01-01T00:00:00Z | 2025-01-01T00:10:00Z 2025-01-01T00:25:00Z 2025-01-01T00:40:00Z 2025-01-01T01:10:00Z
            0,,30 * * * *      | 2025-01-01T00:00:00Z | 2025-01-01T00:30:00Z 2025-01-01T01:00:00Z 2025-01-01T01:30:00Z
            # robfig/cron ignores what follows '*-'
            *-5 * * * *        | 2025-01-01T00:00:00Z | 2025-01-01T00:01:00Z 2025-01-01T00:02:00Z
            # names, in any case, in lists and ranges
            0 0 * * MON        | 2025-01-01T00:00:00Z | 2025-01-06T00:00:00Z 2025-01-13T00:00:00Z
            0 0 1 mar,jun *    | 2025-01-15T00:00:00Z | 2025-03-01T00:00:00Z 2025-06-01T00:00:00Z
            0 12 * * mon-fri   | 2025-01-03T13:00:00Z | 2025-01-06T12:00:00Z 2025-01-07T12:00:00Z 2025-01-08T12:00:00Z
            0 12 * * Sat,sun   | 2025-01-01T00:00:00Z | 2025-01-04T12:00:00Z 2025-01-05T12:00:00Z 2025-01-11T12:00:00Z
            0 0 1 Jan-MAR *    | 2025-02-15T00:00:00Z | 2025-03-01T00:00:00Z 2026-01-01T00:00:00Z 2026-02-01T00:00:00Z
            # day of month OR day of week when both are restricted; */2 is restricted, * and */1 are not
            0 0 15 * 1         | 2025-01-01T00:00:00Z | 2025-01-06T00:00:00Z 2025-01-13T00:00:00Z 2025-01-15T00:00:00Z
            0 0 */2 * 1        | 2025-01-01T00:00:00Z | 2025-01-03T00:00:00Z 2025-01-05T00:00:00Z 2025-01-06T00:00:00Z 2025-01-07T00:00:00Z 2025-01-09T00:00:00Z
            0 0 1-31/2 * 1     | 2025-01-01T00:00:00Z | 2025-01-03T00:00:00Z 2025-01-05T00:00:00Z 2025-01-06T00:00:00Z 2025-01-07T00:00:00Z
            0 0 */1 * 1        | 2025-01-01T00:00:00Z | 2025-01-06T00:00:00Z 2025-01-13T00:00:00Z
            0 0 * * */2        | 2025-01-01T00:00:00Z | 2025-01-02T00:00:00Z 2025-01-04T00:00:00Z 2025-01-05T00:00:00Z 2025-01-07T00:00:00Z
            0 0 13 * FRI       | 2025-01-01T00:00:00Z | 2025-01-03T00:00:00Z 2025-01-10T00:00:00Z 2025-01-13T00:00:00Z
            # '?' is '*'
            0 0 ? * 1          | 2025-01-01T00:00:00Z | 2025-01-06T00:00:00Z 2025-01-13T00:00:00Z
            0 0 13 * ?         | 2025-01-01T00:00:00Z | 2025-01-13T00:00:00Z 2025-02-13T00:00:00Z
            0 0 ? * ?          | 2025-01-01T00:00:00Z | 2025-01-02T00:00:00Z 2025-01-03T00:00:00Z
            # calendars: leap days, months without a 31st, impossible dates
            0 0 29 2 *         | 2025-03-01T00:00:00Z | 2028-02-29T00:00:00Z 2032-02-29T00:00:00Z
            0 0 31 * *         | 2025-01-31T12:00:00Z | 2025-03-31T00:00:00Z 2025-05-31T00:00:00Z 2025-07-31T00:00:00Z
            0 0 30 2 *         | 2025-01-01T00:00:00Z | never
            '  0   0  *  *  *  ' | 2025-01-01T10:00:00Z | 2025-01-02T00:00:00Z
            # descriptors
            @hourly            | 2025-01-01T00:00:00Z | 2025-01-01T01:00:00Z 2025-01-01T02:00:00Z
            @daily             | 2025-01-01T10:00:00Z | 2025-01-02T00:00:00Z
            @midnight          | 2025-01-01T10:00:00Z | 2025-01-02T00:00:00Z
            @weekly            | 2025-01-01T00:00:00Z | 2025-01-05T00:00:00Z 2025-01-12T00:00:00Z
            @monthly           | 2025-01-15T00:00:00Z | 2025-02-01T00:00:00Z 2025-03-01T00:00:00Z
            @yearly            | 2025-06-01T00:00:00Z | 2026-01-01T00:00:00Z 2027-01-01T00:00:00Z
            @annually          | 2025-06-01T00:00:00Z | 2026-01-01T00:00:00Z
            @every 90s         | 2025-01-01T00:00:00.5Z | 2025-01-01T00:01:30Z 2025-01-01T00:03:00Z
            @every 1h30m       | 2025-01-01T00:00:00Z | 2025-01-01T01:30:00Z 2025-01-01T03:00:00Z
            @every 1.5m        | 2025-01-01T00:00:00Z | 2025-01-01T00:01:30Z
            @every 500ms       | 2025-01-01T00:00:00Z | 2025-01-01T00:00:01Z 2025-01-01T00:00:02Z
            # time zones in the schedule (old objects; they win over spec.timeZone)
            TZ=America/New_York 0 9 * * *      | 2025-01-01T00:00:00Z | 2025-01-01T14:00:00Z 2025-01-02T14:00:00Z
            CRON_TZ=Asia/Kolkata 30 0 * * *    | 2025-01-01T00:00:00Z | 2025-01-01T19:00:00Z 2025-01-02T19:00:00Z
            # DST, spring forward (New York, 2025-03-09 02:00 -> 03:00): 02:30 does not exist that day, so it is skipped
            TZ=America/New_York 30 2 * * *     | 2025-03-08T12:00:00Z | 2025-03-10T06:30:00Z 2025-03-11T06:30:00Z
            TZ=America/New_York 0 * * * *      | 2025-03-09T06:30:00Z | 2025-03-09T07:00:00Z 2025-03-09T08:00:00Z 2025-03-09T09:00:00Z
            TZ=America/New_York 0 0 * * *      | 2025-03-08T12:00:00Z | 2025-03-09T05:00:00Z 2025-03-10T04:00:00Z
            # DST, fall back (New York, 2025-11-02 02:00 -> 01:00): 01:30 happens twice and fires twice
            TZ=America/New_York 30 1 * * *     | 2025-11-01T12:00:00Z | 2025-11-02T05:30:00Z 2025-11-02T06:30:00Z 2025-11-03T06:30:00Z
            TZ=America/New_York 0 * * * *      | 2025-11-02T04:30:00Z | 2025-11-02T05:00:00Z 2025-11-02T06:00:00Z 2025-11-02T07:00:00Z 2025-11-02T08:00:00Z
            # DST at midnight (Sao Paulo 2018-11-04 and Havana 2025-03-09 have no 00:00): that day is skipped
            TZ=America/Sao_Paulo 0 0 * * *     | 2018-11-03T00:00:00Z | 2018-11-03T03:00:00Z 2018-11-05T02:00:00Z
            TZ=America/Havana 0 0 * * *        | 2025-03-08T12:00:00Z | 2025-03-10T04:00:00Z 2025-03-11T04:00:00Z
            # a time that is in the gap every year it falls on the right day
            TZ=Europe/Berlin 30 2 30 3 *       | 2025-03-01T00:00:00Z | 2026-03-30T00:30:00Z 2027-03-30T00:30:00Z
            # half-hour DST (Lord Howe, 2025-04-06 02:00 -> 01:30)
            TZ=Australia/Lord_Howe 15 2 * * *  | 2025-04-05T00:00:00Z | 2025-04-06T15:45:00Z 2025-04-07T15:45:00Z 2025-04-08T15:45:00Z
            """)
    void nextFireTimesAsKubernetesComputesThem(String schedule, String after, String expected) {
        List<String> want = Arrays.asList(expected.strip().split("\\s+"));
        assertEquals(want, fires(schedule, after, want.size()), schedule);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            0 0 * * 7            | day of week '7' ends at 7, above 6
            61 * * * *           | minute '61' ends at 61, above 59
            * 24 * * *           | hour '24' ends at 24, above 23
            * * 0 * *            | day of month '0' starts at 0, below 1
            * * * 13 *           | month '13' ends at 13, above 12
            5-1 * * * *          | minute '5-1' starts after it ends
            */0 * * * *          | minute '*/0': the step must be a positive number
            1-2-3 * * * *        | minute '1-2-3' has too many hyphens
            1/2/3 * * * *        | minute '1/2/3' has too many slashes
            -1 * * * *           | minute '-1': '' is not a number
            jan * * * *          | minute 'jan': 'jan' is not a number
            * * * * monday       | day of week 'monday': 'monday' is not a number or a name
            * * * *              | must have exactly 5 fields
            * * * * * *          | must have exactly 5 fields
            @Hourly              | unrecognized descriptor '@Hourly'
            @every               | unrecognized descriptor '@every'
            @every 1x            | '1x' is not a duration
            TZ=Mars/Olympus * * * * * | unknown time zone 'Mars/Olympus'
            """)
    void schedulesKubernetesRefusesAreRefusedWithTheReason(String schedule, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(schedule, null));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0} in {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0 9 * * *              | America/New_York | 2025-01-01T00:00:00Z | 2025-01-01T14:00:00Z
            0 9 * * *              |                  | 2025-01-01T00:00:00Z | 2025-01-01T09:00:00Z
            TZ=Europe/Berlin 0 9 * * * | America/New_York | 2025-01-01T00:00:00Z | 2025-01-01T08:00:00Z
            """)
    void specTimeZoneAppliesUnlessTheScheduleNamesOne(String schedule, String timeZone, String after, String expected) {
        assertEquals(Instant.parse(expected), CronSchedule.parse(schedule, timeZone).next(Instant.parse(after)).orElseThrow());
    }

    @org.junit.jupiter.api.Test
    void emptyScheduleAndUnknownSpecTimeZoneAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("", null));
        assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("* * * * *", "Mars/Olympus"));
    }
}
