package dev.skci.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.SkciException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one wait helper: bounded, named, with progress, retrying flaky checks, ending at once on an interrupt. */
class WaitTest {
    @Test
    void returnsOnceTheConditionHolds() {
        AtomicInteger calls = new AtomicInteger();
        Wait.Passed p = Wait.poll("three calls", Duration.ofSeconds(5)).every(Duration.ofMillis(1))
                .until(() -> calls.incrementAndGet() >= 3 ? null : "only " + calls.get());
        assertEquals(3, calls.get());
        assertTrue(p.waited().compareTo(Duration.ofSeconds(5)) < 0);
    }

    @Test
    void timesOutNamingTheConditionAndWhatWasMissing() {
        SkciException e = assertThrows(SkciException.class, () -> Wait.poll("the moon", Duration.ofMillis(50))
                .every(Duration.ofMillis(5)).until(() -> "still below the horizon"));
        assertEquals(SkciException.Kind.ENVIRONMENT, e.kind());
        assertTrue(e.getMessage().contains("waiting for the moon: still below the horizon"), e.getMessage());
        assertFalse(Wait.poll("x", Duration.ofMillis(20)).every(Duration.ofMillis(5)).tryUntil(() -> "no"));
    }

    @Test
    void printsProgressWhileItWaits() {
        List<String> lines = new ArrayList<>();
        Wait.poll("x", Duration.ofMillis(120)).every(Duration.ofMillis(5)).progressEvery(Duration.ofMillis(20))
                .progress((waited, timeout, missing) -> lines.add(missing + " of " + timeout.toMillis()))
                .tryUntil(() -> "missing");
        assertTrue(lines.size() >= 2, "progress lines: " + lines);
        assertEquals("missing of 120", lines.getFirst());
    }

    @Test
    void aCheckThatThrowsIsRetriedButAnSkciExceptionEndsTheWait() {
        AtomicInteger calls = new AtomicInteger();
        Wait.poll("flaky", Duration.ofSeconds(5)).every(Duration.ofMillis(1)).until(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("API server stalled");
            }
            return null;
        });
        assertEquals(3, calls.get());
        SkciException fatal = assertThrows(SkciException.class, () -> Wait.poll("fatal", Duration.ofSeconds(5))
                .until(() -> {
                    throw SkciException.invalidInput("waiting cannot help");
                }));
        assertEquals("waiting cannot help", fatal.getMessage());
    }

    @Test
    void anInterruptEndsTheWaitAtOnceTheOneWay() {
        Thread.currentThread().interrupt();
        long t = System.nanoTime();
        SkciException e = assertThrows(SkciException.class, () -> Wait.poll("forever", Duration.ofMinutes(5)).until(() -> "no"));
        try {
            assertEquals(SkciException.Kind.INTERRUPTED, e.kind());
            assertTrue(SkciException.isInterrupt(e));
            assertTrue(Thread.currentThread().isInterrupted(), "the flag stays set for the waits after it");
            assertTrue((System.nanoTime() - t) / 1e9 < 2);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aDeadlineBoundsAWait() {
        Deadline d = Deadline.after(Duration.ofMillis(30));
        assertFalse(Wait.poll("x", d).every(Duration.ofMillis(5)).tryUntil(() -> "no"));
        assertTrue(d.passed());
        assertTrue(Deadline.after(Duration.ofHours(1)).within(Duration.ofMillis(1)).remaining().toMillis() <= 1);
    }
}
