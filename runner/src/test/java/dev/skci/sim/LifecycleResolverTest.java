package dev.skci.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.skci.sim.LifecycleResolver.Decision;
import dev.skci.sim.LifecycleResolver.OwnerKey;
import dev.skci.trace.Gvk;
import dev.skci.trace.LifecycleOwner;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.PodLifecycles;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LifecycleResolverTest {
    private static final Gvk CRONJOB = new Gvk("batch", "v1", "CronJob");
    private static final Gvk DEPLOY = new Gvk("apps", "v1", "Deployment");
    private static final Gvk POD = new Gvk("", "v1", "Pod");

    private static PodLifecycles lifecycles(Object... ownerThenBuckets) {
        Map<LifecycleOwner, Map<Long, List<PodLifecycle>>> m = new LinkedHashMap<>();
        for (int i = 0; i < ownerThenBuckets.length; i += 2) {
            @SuppressWarnings("unchecked")
            Map<Long, List<PodLifecycle>> b = (Map<Long, List<PodLifecycle>>) ownerThenBuckets[i + 1];
            m.put((LifecycleOwner) ownerThenBuckets[i], new LinkedHashMap<>(b));
        }
        return new PodLifecycles(m);
    }

    @Test
    void cronJobPodsTakeEntriesInOrderAndScaleBySpeed() {
        PodLifecycles l = lifecycles(new LifecycleOwner("batch/v1.CronJob", "default/hello"), Map.of(7L, List.of(
                new PodLifecycle.Finished(100, 130), new PodLifecycle.Finished(160, 190), new PodLifecycle.Finished(220, 250))));
        LifecycleResolver r = new LifecycleResolver(l, 90, 10.0);
        List<OwnerKey> owners = List.of(new OwnerKey(CRONJOB, "default/hello"));
        for (int i = 0; i < 3; i++) {
            Decision d = r.resolve(owners, 999L, false);
            Decision.Completes c = assertInstanceOf(Decision.Completes.class, d);
            assertEquals(i, c.sequence());
            assertEquals(Duration.ofSeconds(3), c.runFor());
        }
        assertEquals(0, ((Decision.Completes) r.resolve(owners, 999L, false)).sequence() % 3, "wraps around");
    }

    @Test
    void dryRunDoesNotUseUpASequenceNumber() {
        PodLifecycles l = lifecycles(new LifecycleOwner("batch/v1.CronJob", "default/hello"), Map.of(7L, List.of(
                new PodLifecycle.Finished(100, 130), new PodLifecycle.Finished(160, 200))));
        LifecycleResolver r = new LifecycleResolver(l, 90, 1.0);
        List<OwnerKey> owners = List.of(new OwnerKey(CRONJOB, "default/hello"));
        r.resolve(owners, 7L, true);
        r.resolve(owners, 7L, true);
        assertEquals(Duration.ofSeconds(30), ((Decision.Completes) r.resolve(owners, 7L, false)).runFor());
        assertEquals(Duration.ofSeconds(40), ((Decision.Completes) r.resolve(owners, 7L, false)).runFor());
    }

    @Test
    void exactHashWinsThenTheOnlyBucketThenAllMergedByStart() {
        Map<Long, List<PodLifecycle>> buckets = new LinkedHashMap<>();
        buckets.put(1L, List.of(new PodLifecycle.Finished(50, 60)));
        buckets.put(2L, List.of(new PodLifecycle.Finished(10, 15)));
        PodLifecycles l = lifecycles(new LifecycleOwner("apps/v1.Deployment", "ns/d"), buckets);
        List<OwnerKey> owners = List.of(new OwnerKey(DEPLOY, "ns/d"));
        assertEquals(Duration.ofSeconds(10), ((Decision.Completes) new LifecycleResolver(l, 0, 1).resolve(owners, 1L, false)).runFor());
        // Unknown hash, several buckets: merged in start order, independent of map order.
        LifecycleResolver merged = new LifecycleResolver(l, 0, 1);
        assertEquals(Duration.ofSeconds(5), ((Decision.Completes) merged.resolve(owners, 42L, false)).runFor());
        assertEquals(Duration.ofSeconds(10), ((Decision.Completes) merged.resolve(owners, 42L, false)).runFor());
    }

    @Test
    void runningEntriesFallThroughToTheNextCandidate() {
        PodLifecycles l = lifecycles(
                new LifecycleOwner("apps/v1.Deployment", "ns/d"), Map.of(1L, List.of(new PodLifecycle.Running(5))),
                new LifecycleOwner("v1.Pod", "ns/p"), Map.of(2L, List.of(new PodLifecycle.Finished(5, 25))));
        LifecycleResolver r = new LifecycleResolver(l, 0, 1);
        Decision d = r.resolve(List.of(new OwnerKey(DEPLOY, "ns/d"), new OwnerKey(POD, "ns/p")), 0L, false);
        assertEquals(Duration.ofSeconds(20), assertInstanceOf(Decision.Completes.class, d).runFor());
        Decision running = r.resolve(List.of(new OwnerKey(DEPLOY, "ns/d")), 0L, false);
        assertInstanceOf(Decision.RunsUntilDeleted.class, running);
        assertInstanceOf(Decision.NoLifecycle.class, r.resolve(List.of(new OwnerKey(POD, "ns/other")), 0L, false));
    }

    @Test
    void podRunningBeforeTheTraceRunsOnlyItsRemainingTime() {
        LifecycleResolver r = new LifecycleResolver(PodLifecycles.empty(), 1000, 2.0);
        assertEquals(Duration.ofSeconds(6), r.runFor(980, 1012), "12 s left at speed 2");
        assertEquals(Duration.ZERO, r.runFor(900, 950), "finished before the window");
    }
}
