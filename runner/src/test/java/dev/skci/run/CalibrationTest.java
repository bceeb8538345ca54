package dev.skci.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skci.observe.PodRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The calibration's rate: between the 10th and 90th percentile, so the ramp's ends do not count. */
class CalibrationTest {
    private static PodRecord created(Instant at) {
        return new PodRecord("ns", "p" + at.toEpochMilli(), null, null, null, true, at, null, null, null, null, null, null, 0, 0);
    }

    @Test
    void rateIgnoresTheFirstAndLastTenthOfThePods() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<PodRecord> pods = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            pods.add(created(t0.plusMillis(i * 10L))); // 100 a second ...
        }
        pods.add(created(t0.plusSeconds(600))); // ... and one straggler much later
        assertEquals(100, Calibration.rate(pods, PodRecord::created), 1.0);
        assertEquals(0, Calibration.rate(pods, PodRecord::running), "no pod ran: no rate");
    }

    @Test
    void theBurstIsAlwaysFortyDeploymentsFromZero() {
        assertEquals(40, Calibration.trace(2000).deployments());
        assertEquals(50, Calibration.trace(2000).peak());
        assertEquals(0, Calibration.trace(2000).low());
        assertEquals(5, Calibration.trace(200).peak());
        assertEquals(28, Calibration.trace(2000).stepSeconds());
        assertEquals(10, Calibration.trace(200).stepSeconds(), "a small burst is over quickly");
    }
}
