package dev.skci.replay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the replayer did, by kind, and every operation that failed (the first 100 kept verbatim). */
public final class ReplayStats {
    private static final int MAX_FAILURES = 100;

    private final Map<String, Integer> applied = new TreeMap<>();
    private final Map<String, Integer> deleted = new TreeMap<>();
    private final Map<String, Integer> skipped = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int failureCount;
    private int eventsReplayed;
    private int eventsDropped;
    private int jobsCreated;
    private long replayNanos;

    synchronized void applied(String kind) {
        applied.merge(kind, 1, Integer::sum);
    }

    synchronized void deleted(String kind) {
        deleted.merge(kind, 1, Integer::sum);
    }

    synchronized void skipped(String kind, String why) {
        skipped.merge(kind, 1, Integer::sum);
        note(why);
    }

    synchronized void failed(String message) {
        failureCount++;
        if (failures.size() < MAX_FAILURES) {
            failures.add(message);
        }
    }

    synchronized void note(String message) {
        if (notes.size() < MAX_FAILURES) {
            notes.add(message);
        }
    }

    synchronized void eventReplayed() {
        eventsReplayed++;
    }

    synchronized void eventsDropped(int n) {
        eventsDropped += n;
    }

    synchronized void jobCreated() {
        jobsCreated++;
    }

    synchronized void replayed(long nanos) {
        replayNanos = nanos;
    }

    /** Wall time from the first event's due time to the last event done (the wait for the trace's end excluded). */
    public synchronized long replayNanos() {
        return replayNanos;
    }

    public synchronized Map<String, Integer> appliedByKind() {
        return Collections.unmodifiableMap(new TreeMap<>(applied));
    }

    public synchronized Map<String, Integer> deletedByKind() {
        return Collections.unmodifiableMap(new TreeMap<>(deleted));
    }

    public synchronized Map<String, Integer> skippedByKind() {
        return Collections.unmodifiableMap(new TreeMap<>(skipped));
    }

    public synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    public synchronized int failureCount() {
        return failureCount;
    }

    public synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    public synchronized int eventsReplayed() {
        return eventsReplayed;
    }

    public synchronized int eventsDropped() {
        return eventsDropped;
    }

    /** Jobs skci created for time-warped CronJobs. */
    public synchronized int jobsCreated() {
        return jobsCreated;
    }
}
