package dev.skci.trace.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.trace.Gvk;
import dev.skci.trace.LifecycleOwner;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.SourceFormat;
import dev.skci.trace.Trace;
import dev.skci.trace.TrackedKinds;
import dev.skci.trace.validate.ValidationReport;
import dev.skci.trace.validate.Validator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LegacyUpgradeTest {

    @Test
    void versionOneArrayIsUpgraded() {
        TraceFile f = TraceFile.open(TraceSource.of("v1.sktrace", LegacyTraces.v1()));
        assertEquals(SourceFormat.LEGACY_V1, f.format());
        // Config: slash-less GVKs, built-in paths, trackLifecycle kept.
        assertEquals("{\"trackedObjects\":{\"apps/v1.Deployment\":{\"podSpecTemplatePaths\":[\"/spec/template\"]},"
                + "\"v1.Pod\":{\"podSpecTemplatePaths\":[\"\"],\"trackLifecycle\":true}}}", f.config().raw().toString());
        TrackedKinds kinds = TrackedKinds.normalize(f.config());
        assertEquals(List.of(), kinds.problems());
        assertTrue(kinds.get(Gvk.parse("v1.Pod")).trackLifecycle());
        // Flat index placed under the GVKs of the objects in the events; the unplaceable entry dropped with a note.
        assertEquals(Map.of("apps/v1.Deployment", Map.of("ns/d", 123L), "v1.Pod", Map.of("ns/p", -1L)), f.index().entries());
        assertTrue(f.notes().stream().anyMatch(n -> n.contains("1 legacy index entries")), f.notes()::toString);
        assertTrue(f.notes().get(0).contains("upgraded it to version 2"), f.notes()::toString);
        // ns/name-keyed lifecycles get their owner GVK from the index.
        assertEquals(Map.of(new LifecycleOwner("v1.Pod", "ns/p"), Map.of(77L, List.of(new PodLifecycle.Finished(100, 130)))),
                f.lifecycles().entries());
        Trace t = f.readAll();
        assertEquals(2, t.events().get(0).applied().size()); // created_objs
        assertEquals("Deployment", t.events().get(1).deleted().get(0).kind()); // stub completed from the applied object
        assertEquals("apps/v1", t.events().get(1).deleted().get(0).apiVersion());
        // The upgraded trace is a clean version-2 trace.
        TraceFile v2 = TraceFile.open(TraceSource.of("v2.sktrace", TraceWriter.toBytes(t)));
        assertEquals(SourceFormat.V2, v2.format());
        assertEquals(List.of(), v2.notes());
        ValidationReport r = Validator.validate(f);
        assertFalse(r.hasErrors(), r.lines()::toString);
        assertTrue(r.findings().stream().allMatch(x -> List.of("reader-note", "index-stale-hash", "pod-template-missing").contains(x.rule())),
                r.lines()::toString);
    }

    @Test
    void versionZeroArrayIsUpgraded() {
        TraceFile f = TraceFile.open(TraceSource.of("v0.sktrace", LegacyTraces.v0()));
        assertEquals(SourceFormat.LEGACY_V0, f.format());
        assertEquals("{\"trackedObjects\":{\"v1.Pod\":{\"podSpecTemplatePaths\":[\"\"]}}}", f.config().raw().toString());
        assertTrue(f.notes().stream().anyMatch(n -> n.contains("legacy path '/spec' for v1.Pod replaced by the built-in [\"\"]")
                || n.contains("legacy path '/spec' for v1.Pod replaced")), f.notes()::toString);
        assertEquals(0, f.index().size());
        assertEquals(0, f.lifecycles().ownerCount());
        assertEquals(1, f.eventCount());
        assertEquals(7, f.firstTs());
        assertEquals("p", f.readAll().events().get(0).applied().get(0).name());
    }
}
