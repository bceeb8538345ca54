package dev.skci.webhook;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every admission request the webhook saw (the most recent {@value #CAPACITY} kept), with totals. Tests
 * assert on it (e.g. that no UPDATE ever arrived); diagnostics bundles include it.
 */
public final class RequestLog {
    static final int CAPACITY = 10_000;

    /**
     * One request. {@code micros} runs from its headers to the answer; {@code receiveMicros} is the part of
     * it spent receiving the body, which is the client's pace (and flow control), not the webhook's work.
     */
    public record Entry(Instant at, String operation, String subResource, String pod, boolean dryRun,
            String decision, String reason, long micros, long receiveMicros) {}

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    synchronized void add(Entry e) {
        total.incrementAndGet();
        if (e.decision().equals("denied")) {
            denied.incrementAndGet();
        }
        if (entries.size() == CAPACITY) {
            entries.removeFirst();
        }
        entries.addLast(e);
    }

    void transportError() {
        errors.incrementAndGet();
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    public long total() {
        return total.get();
    }

    public long denied() {
        return denied.get();
    }

    /** Requests that could not even be parsed (answered 400, which the API server treats as a failure). */
    public long transportErrors() {
        return errors.get();
    }

    public synchronized long count(String operation) {
        return entries.stream().filter(e -> e.operation().equals(operation)).count();
    }
}
