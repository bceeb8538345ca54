package dev.skci.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.TestData;
import dev.skci.trace.codec.TraceFile;
import dev.skci.trace.json.TraceJsonImporter;
import dev.skci.trace.validate.ValidationReport;
import dev.skci.trace.validate.Validator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The example traces in traces/: each .sktrace is exactly what 'skci trace import' makes of its YAML. */
class ExampleTracesTest {

    @ParameterizedTest
    @ValueSource(strings = {"cronjob", "bare-pods", "deployment-scaling"})
    void sktraceIsRegeneratedByteForByteFromItsYaml(String name) {
        byte[] committed = TestData.bytes(TestData.projectTrace(name + ".sktrace"));
        byte[] regenerated = TestTraces.bytes(TraceJsonImporter.read(TestData.projectTrace(name + ".yaml")));
        assertArrayEquals(committed, regenerated, name + ".sktrace is stale: run 'bin/skci trace import traces/" + name
                + ".yaml -o traces/" + name + ".sktrace'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cronjob", "bare-pods", "deployment-scaling"})
    void validatesWithoutErrorsAndReplaysQuickly(String name) {
        TraceFile f = TraceFile.open(TestData.projectTrace(name + ".sktrace"));
        ValidationReport r = Validator.validate(f);
        assertFalse(r.hasErrors(), r.lines()::toString);
        assertEquals(List.of(), r.findings(), "the examples should be clean");
        long span = f.lastTs() - f.firstTs();
        assertTrue(span > 0 && span <= 240, name + " spans " + span + " s; keep replays at speed 10 under ~25 s");
    }

    @Test
    void cronJobRunsThreeThirtySecondPods() {
        TraceFile f = TraceFile.open(TestData.projectTrace("cronjob.sktrace"));
        Trace t = f.readAll();
        KubeObject cj = t.events().get(1).applied().get(0);
        assertEquals("* * * * *", cj.get("spec").get("schedule").textValue());
        assertEquals(1, t.events().get(2).deleted().size());
        Map<Long, List<PodLifecycle>> b = f.lifecycles().buckets(Gvk.parse("batch/v1.CronJob"), "default/hello");
        assertEquals(1, b.size());
        List<PodLifecycle> pods = b.values().iterator().next();
        assertEquals(3, pods.size());
        assertTrue(pods.stream().allMatch(p -> p instanceof PodLifecycle.Finished fin && fin.durationSeconds() == 30));
    }

    @Test
    void barePodsCoverBeforeDuringAndAfterTheWindow() {
        TraceFile f = TraceFile.open(TestData.projectTrace("bare-pods.sktrace"));
        Trace t = f.readAll();
        Gvk pod = Gvk.parse("v1.Pod");
        TrackedKind k = TrackedKinds.normalize(f.config()).get(pod);
        assertEquals(List.of(""), k.podSpecTemplatePaths());
        assertTrue(k.trackLifecycle() && k.skipOwned());
        List<String> initial = t.events().get(0).applied().stream().map(KubeObject::name).toList();
        assertEquals(List.of("pod-early", "pod-done"), initial);
        long start = f.firstTs();
        PodLifecycle early = only(f, pod, "testing/pod-early");
        assertTrue(early instanceof PodLifecycle.Finished e && e.start() == start && e.durationSeconds() < 30, early::toString);
        PodLifecycle done = only(f, pod, "testing/pod-done");
        assertTrue(done instanceof PodLifecycle.Finished d && d.end() < start, done::toString);
        PodLifecycle late = only(f, pod, "testing/pod-late");
        assertTrue(late instanceof PodLifecycle.Running r && r.start() < f.lastTs(), late::toString);
        for (TraceEvent e : t.events()) {
            for (KubeObject o : e.applied()) {
                assertNull(o.get("spec").get("nodeName"));
                assertNull(o.get("spec").get("serviceAccountName"));
                assertNull(o.get("metadata").get("ownerReferences"));
            }
        }
    }

    @Test
    void deploymentScalesUpAndDownThenGoes() {
        Trace t = TraceFile.open(TestData.projectTrace("deployment-scaling.sktrace")).readAll();
        List<Integer> replicas = t.events().stream().flatMap(e -> e.applied().stream())
                .map(o -> o.get("spec").get("replicas").intValue()).toList();
        assertEquals(List.of(2, 5, 1), replicas);
        assertEquals("frontend", t.events().get(t.events().size() - 1).deleted().get(0).name());
    }

    private static PodLifecycle only(TraceFile f, Gvk gvk, String nsName) {
        Map<Long, List<PodLifecycle>> b = f.lifecycles().buckets(gvk, nsName);
        assertEquals(1, b.size());
        List<PodLifecycle> l = b.values().iterator().next();
        assertEquals(1, l.size());
        return l.get(0);
    }
}
