package dev.skci.trace.inspect;

import static dev.skci.trace.TestTraces.config;
import static dev.skci.trace.TestTraces.deployment;
import static dev.skci.trace.TestTraces.event;
import static dev.skci.trace.TestTraces.index;
import static dev.skci.trace.TestTraces.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.TestData;
import dev.skci.trace.LifecycleOwner;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.PodLifecycles;
import dev.skci.trace.TestTraces;
import dev.skci.trace.Trace;
import dev.skci.trace.codec.TraceFile;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InspectorTest {

    private static TraceSummary sample() {
        Map<LifecycleOwner, Map<Long, List<PodLifecycle>>> lc = new LinkedHashMap<>();
        lc.put(new LifecycleOwner("v1.Pod", "ns/p"), Map.of(-1L, List.of(new PodLifecycle.Finished(1000, 1012),
                new PodLifecycle.Running(1050), PodLifecycle.EMPTY)));
        lc.put(new LifecycleOwner("v1.Pod", "ns/unindexed"), Map.of(7L, List.of(new PodLifecycle.Running(1000))));
        Trace t = new Trace(config("{'trackedObjects':{}}"), List.of(
                event(1000, List.of(), List.of()),
                event(1000, List.of(deployment("ns", "a", 1), obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'ns'}}")), List.of()),
                event(1049, List.of(deployment("other", "b", 1)), List.of()),
                event(1099, List.of(), List.of(deployment("ns", "a", 1)))),
                index("apps/v1.Deployment", "ns/a", 1, "apps/v1.Deployment", "other/b", 2, "v1.Pod", "ns/p", 3),
                new PodLifecycles(lc));
        return Inspector.inspect(TestTraces.open("s.sktrace", t), 10);
    }

    @Test
    void countsEverythingByKindAndNamespace() {
        TraceSummary s = sample();
        assertEquals(4, s.events());
        assertEquals(1, s.emptyEvents());
        assertEquals(1000L, s.firstTs());
        assertEquals(1099L, s.lastTs());
        assertEquals(99, s.durationSeconds());
        assertEquals("1970-01-01T00:16:40Z", s.start());
        assertEquals(3, s.applied());
        assertEquals(1, s.deleted());
        assertEquals(Map.of("apps/v1.Deployment", 2L, "v1.Pod", 1L), s.appliedByKind());
        assertEquals(Map.of("apps/v1.Deployment", 1L), s.deletedByKind());
        assertEquals(Map.of("ns", 3L, "other", 1L), s.objectsByNamespace());
        assertEquals(3, s.indexEntries());
        assertEquals(Map.of("apps/v1.Deployment", 2, "v1.Pod", 1), s.indexByKind());
        assertEquals(2, s.lifecycleOwners());
        assertEquals(4, s.lifecycleEntries());
    }

    @Test
    void lifecyclesKeepUnsignedHashesDurationsAndIndexMembership() {
        TraceSummary s = sample();
        TraceSummary.Owner p = s.lifecycles().get(0);
        assertTrue(p.indexed());
        assertFalse(s.lifecycles().get(1).indexed());
        assertEquals(new BigInteger("18446744073709551615"), p.hashes().get(0).hash());
        assertEquals(new TraceSummary.Entry("Finished", 1000L, 1012L, 12L), p.hashes().get(0).lifecycles().get(0));
        assertEquals(new TraceSummary.Entry("Running", 1050L, null, null), p.hashes().get(0).lifecycles().get(1));
        assertEquals("Empty", p.hashes().get(0).lifecycles().get(2).state());
    }

    @Test
    void activityBucketsCoverTheSpan() {
        TraceSummary.Activity a = sample().activity();
        assertEquals(10, a.bucketSeconds()); // ceil(100 / 10)
        assertEquals(10, a.objects().size());
        assertEquals(2L, a.objects().get(0)); // the two objects at +0s
        assertEquals(1L, a.objects().get(4)); // +49s
        assertEquals(1L, a.objects().get(9)); // +99s
        assertEquals(4, a.objects().stream().mapToLong(Long::longValue).sum());
        assertEquals(2, a.events().get(0));
    }

    @Test
    void simkubeCronJob() {
        TraceSummary s = Inspector.inspect(TraceFile.open(TestData.sharedTrace("cronjob.sktrace")), 48);
        assertEquals(205, s.durationSeconds());
        assertEquals(5, s.activity().bucketSeconds());
        assertEquals(42, s.activity().objects().size());
        assertEquals(List.of("Finished", "Finished", "Finished"),
                s.lifecycles().get(0).hashes().get(0).lifecycles().stream().map(TraceSummary.Entry::state).toList());
    }

    @Test
    void textShowsEntriesRelativeToTheStartAndWarnsAboutUnindexedOwners() {
        List<String> lines = SummaryText.render(sample(), false, false);
        String text = String.join("\n", lines);
        assertTrue(text.contains("span          1970-01-01T00:16:40Z .. 1970-01-01T00:18:19Z (1m39s)"), text);
        assertTrue(text.contains("Finished  +0s .. +12s (12s)"), text);
        assertTrue(text.contains("Running   +50s .."), text);
        assertTrue(text.contains("v1.Pod ns/unindexed  (not in the index: never used)"), text);
        assertTrue(text.contains("              ns     3 objects"), text);
    }

    @Test
    void chartDrawsBarsInUnicodeAndAscii() {
        TraceSummary.Activity a = new TraceSummary.Activity(0, 1, List.of(8L, 0L, 4L, 1L), List.of(1, 0, 1, 1));
        List<String> u = ActivityChart.render(a, 3, true);
        assertEquals(List.of(
                "8 ┤█",
                "  │█",
                "  │█ █",
                "  │█ █▄",
                "  └────",
                "   +0s +3s"), u);
        List<String> ascii = ActivityChart.render(a, 3, false);
        assertEquals("8 |#", ascii.get(0));
        assertEquals("  |# ##", ascii.get(3));
        TraceSummary.Activity small = new TraceSummary.Activity(0, 1, List.of(100L, 1L), List.of(1, 1));
        assertEquals("    |#.", ActivityChart.render(small, 1, false).get(3)); // a tiny bucket still shows
        assertTrue(ascii.stream().allMatch(l -> l.chars().allMatch(c -> c < 128)), ascii::toString);
    }
}
