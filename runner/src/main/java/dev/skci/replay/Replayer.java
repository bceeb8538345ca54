package dev.skci.replay;

import dev.skci.override.Overrides;
import dev.skci.override.StrategicMerge;
import dev.skci.sim.BarePodTiming;
import dev.skci.sim.ReplayedObjects;
import dev.skci.sim.VirtualNamespaces;

import dev.skci.trace.Gvk;
import dev.skci.trace.KubeObject;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.PodLifecycles;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.codec.TraceFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a trace's events on the absolute schedule of a {@link ReplayClock}, streaming them from the
 * file one at a time. Within an event, applied objects go first, then deletions (as SimKube does).
 * Time-warped CronJob fires are merged into the same schedule. After the last event the replay waits
 * until the end of the trace window, so pods still running at the end live to the end.
 */
public final class Replayer {
    private static final Logger log = LoggerFactory.getLogger(Replayer.class);
    private static final Gvk POD = new Gvk("", "v1", "Pod");

    private final TraceFile trace;
    private final ReplayPlan plan;
    private final ObjectTransformer transformer;
    private final Applier applier;
    private final ReplayedObjects registry;
    private final CronJobs cronJobs = new CronJobs();
    private final ReplayClock clock;
    private final VirtualNamespaces namespaces;
    private final ReplayStats stats;
    private final LatenessRecorder lateness;
    private final Desired desired;
    private final Overrides overrides;

    public Replayer(TraceFile trace, ReplayPlan plan, ObjectTransformer transformer, Applier applier,
            ReplayedObjects registry, ReplayClock clock, VirtualNamespaces namespaces, ReplayStats stats,
            LatenessRecorder lateness, Desired desired) {
        this(trace, plan, transformer, applier, registry, clock, namespaces, stats, lateness, desired,
                new Overrides(java.util.List.of(), dev.skci.trace.TrackedKinds.normalize(trace.config())));
    }

    /** @param overrides the pull request's version of traced objects, applied to each before it is transformed */
    public Replayer(TraceFile trace, ReplayPlan plan, ObjectTransformer transformer, Applier applier,
            ReplayedObjects registry, ReplayClock clock, VirtualNamespaces namespaces, ReplayStats stats,
            LatenessRecorder lateness, Desired desired, Overrides overrides) {
        this.overrides = overrides;
        this.trace = trace;
        this.plan = plan;
        this.transformer = transformer;
        this.applier = applier;
        this.registry = registry;
        this.clock = clock;
        this.namespaces = namespaces;
        this.stats = stats;
        this.lateness = lateness;
        this.desired = desired;
    }

    /** Runs the whole replay; throws {@link InterruptedException} when the run is interrupted. */
    public void run() throws InterruptedException {
        clock.start();
        try (TraceFile.EventCursor cursor = trace.events()) {
            TraceEvent next = cursor.hasNext() ? cursor.next() : null;
            while (true) {
                if (next != null && plan.durationGiven() && next.ts() >= plan.endTs()) {
                    stats.eventsDropped(trace.eventCount() - cursor.nextIndex() + 1);
                    next = null;
                }
                long eventTs = next == null ? Long.MAX_VALUE : next.ts();
                OptionalLong fire = cronJobs.nextDue();
                if (fire.isPresent() && fire.getAsLong() < eventTs && fire.getAsLong() < plan.endTs()) {
                    clock.awaitDue(fire.getAsLong());
                    fireCronJob(fire.getAsLong());
                    continue;
                }
                if (next == null) {
                    stats.replayed(clock.elapsedNanos());
                    break;
                }
                lateness.record(clock.awaitDue(eventTs));
                replay(next);
                next = cursor.hasNext() ? cursor.next() : null;
            }
        }
        clock.awaitDue(plan.endTs());
    }

    private void replay(TraceEvent e) throws InterruptedException {
        for (KubeObject o : e.applied()) {
            apply(o, e.ts());
        }
        for (KubeObject o : e.deleted()) {
            delete(o);
            desired.deleted(o, e.ts());
        }
        stats.eventReplayed();
    }

    private void apply(KubeObject traced, long ts) throws InterruptedException {
        Gvk gvk = traced.gvk();
        String kind = gvk.kind();
        Optional<String> skip = skipReason(traced, gvk);
        if (skip.isPresent()) {
            stats.skipped(kind, skip.get());
            return;
        }
        KubeObject o;
        try {
            // Production namespaces still: targets name them. Checked before the cluster booted, so this holds.
            o = overrides.apply(traced);
        } catch (StrategicMerge.PatchException e) {
            stats.failed("override " + e.getMessage());
            return;
        }
        ObjectTransformer.Transformed t = transformer.transform(o);
        String vns = namespaces.virtualName(o.namespace());
        registry.register(vns, new ReplayedObjects.Entry(gvk, o.namespace(), o.name(), t.foreignOwners()));
        boolean cronJob = gvk.equals(CronJobs.CRONJOB);
        if (cronJob) {
            cronJobs.beforeApply(t.object(), ts).ifPresent(stats::note);
        }
        Applier.Outcome out = applier.apply(gvk, t.object(), cronJob);
        if (out.ok()) {
            stats.applied(kind);
            desired.applied(o, ts);
            if (cronJob) {
                cronJobs.applied(vns, o.name(), out.uid());
            }
        } else {
            stats.failed(out.error());
        }
    }

    private void delete(KubeObject o) throws InterruptedException {
        Gvk gvk = o.gvk();
        String vns = namespaces.virtualName(o.namespace());
        if (gvk.equals(CronJobs.CRONJOB)) {
            cronJobs.deleted(vns, o.name());
        }
        Applier.Outcome out = applier.delete(gvk, vns, o.name());
        if (out.ok()) {
            stats.deleted(gvk.kind());
        } else {
            stats.failed(out.error());
        }
    }

    private void fireCronJob(long ts) throws InterruptedException {
        Optional<CronJobs.Fire> f = cronJobs.takeDue(ts);
        if (f.isEmpty()) {
            return;
        }
        Applier.Outcome out = applier.create(CronJobs.JOB, f.get().job());
        if (out.ok()) {
            stats.jobCreated();
            log.debug("created Job {} for its CronJob's fire at trace time {}",
                    f.get().job().path("metadata").path("name").asText(), ts);
        } else {
            stats.failed(out.error());
        }
    }

    /**
     * A bare pod that finished before the trace window is not started again (the bare-pods seed): its
     * recorded lifecycles all ended before the first event, or its original deletion time did.
     */
    private Optional<String> skipReason(KubeObject o, Gvk gvk) {
        if (!gvk.equals(POD)) {
            return Optional.empty();
        }
        PodLifecycles lifecycles = trace.lifecycles();
        Map<Long, List<PodLifecycle>> buckets = lifecycles.buckets(POD, o.nsName());
        boolean recorded = buckets.values().stream().anyMatch(l -> !l.isEmpty());
        boolean allEndedBefore = recorded && buckets.values().stream().flatMap(List::stream)
                .allMatch(l -> l instanceof PodLifecycle.Finished f && f.end() <= plan.startTs());
        if (allEndedBefore) {
            return Optional.of("bare pod " + o.nsName() + " finished before the trace window; not started again");
        }
        if (!recorded && BarePodTiming.of(o.metadata() == null ? null : o.metadata().get("annotations"))
                .goneBefore(plan.startTs())) {
            return Optional.of("bare pod " + o.nsName() + " was deleted before the trace window; not started again");
        }
        return Optional.empty();
    }
}
