package dev.skci.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplayClockTest {
    @Test
    void dueTimesAreAbsoluteFromStartAndNotTruncated() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        ReplayClock c = new ReplayClock(100, 4.0, now::get);
        c.start();
        assertEquals(1_000_000_000L, c.dueNanos(100));
        assertEquals(1_000_000_000L + 250_000_000L, c.dueNanos(101), "1 s of trace at speed 4 is 250 ms");
        assertEquals(1_000_000_000L + 51_250_000_000L, c.dueNanos(305));
        now.addAndGet(10_000_000_000L);
        assertEquals(1_000_000_000L + 250_000_000L, c.dueNanos(101), "due times do not drift with elapsed time");
    }

    @Test
    void lateEventsReportLatenessAndDoNotShiftLaterEvents() throws Exception {
        AtomicLong now = new AtomicLong(0);
        ReplayClock c = new ReplayClock(0, 1.0, now::get);
        c.start();
        now.set(1_500_000_000L); // the apply of event 1 took until 1.5 s
        assertEquals(500_000_000L, c.awaitDue(1));
        assertEquals(2_000_000_000L, c.dueNanos(2), "event 2 is still due at 2 s");
    }

    @Test
    void waitsForRealUntilDue() throws Exception {
        ReplayClock c = new ReplayClock(0, 100.0);
        c.start();
        long t = System.nanoTime();
        long late = c.awaitDue(5); // 50 ms
        long waited = System.nanoTime() - t;
        assertEquals(true, waited >= 49_000_000L, "waited " + waited);
        // Only a gross error (a wait measured in the wrong unit, a missed wake-up) fails: a loaded CI machine
        // can deschedule the thread for tens of milliseconds, and speed is the benchmarks' business.
        assertEquals(true, late < 500_000_000L, "late " + late);
    }

    @Test
    void unlimitedSpeedIsDueImmediately() throws Exception {
        ReplayClock c = new ReplayClock(0, Double.POSITIVE_INFINITY);
        c.start();
        assertEquals(true, c.awaitDue(1_000_000) < 50_000_000L);
    }
}
