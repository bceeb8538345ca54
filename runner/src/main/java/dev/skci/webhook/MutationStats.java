package dev.skci.webhook;

import dev.skci.sim.LifecycleResolver.Decision;
import java.util.concurrent.atomic.AtomicLong;

/** Counts of what the webhook decided for real (not dry-run) pods: the run summary's "lifecycles matched". */
public final class MutationStats {
    private final AtomicLong mutated = new AtomicLong();
    private final AtomicLong completes = new AtomicLong();
    private final AtomicLong runsUntilDeleted = new AtomicLong();
    private final AtomicLong noLifecycle = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private final AtomicLong ownerGone = new AtomicLong();
    private final AtomicLong ownerUnknown = new AtomicLong();

    void recordMutated(Decision d) {
        mutated.incrementAndGet();
        switch (d) {
            case Decision.Completes c -> completes.incrementAndGet();
            case Decision.RunsUntilDeleted r -> runsUntilDeleted.incrementAndGet();
            case Decision.NoLifecycle n -> noLifecycle.incrementAndGet();
        }
    }

    void recordOwnerGone() {
        ownerGone.incrementAndGet();
    }

    void recordOwnerUnknown() {
        ownerUnknown.incrementAndGet();
    }

    /** Pods admitted whose owner was already deleted (benign: the garbage collector removes them). */
    public long ownerGone() {
        return ownerGone.get();
    }

    /** Pods admitted whose owner could not be looked up in time (they got no recorded lifecycle). */
    public long ownerUnknown() {
        return ownerUnknown.get();
    }

    void recordDenied() {
        denied.incrementAndGet();
    }

    public long mutated() {
        return mutated.get();
    }

    /** Pods that got a recorded Finished lifecycle (they complete on their own). */
    public long completes() {
        return completes.get();
    }

    /** Pods whose recorded lifecycle never finishes (Running, Empty). */
    public long runsUntilDeleted() {
        return runsUntilDeleted.get();
    }

    public long noLifecycle() {
        return noLifecycle.get();
    }

    public long denied() {
        return denied.get();
    }
}
