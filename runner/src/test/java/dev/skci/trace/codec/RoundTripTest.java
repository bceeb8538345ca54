package dev.skci.trace.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.skci.TestData;
import dev.skci.trace.LifecycleOwner;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.SourceFormat;
import dev.skci.trace.Trace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundTripTest {

    @Test
    void simkubeCronJobTraceReencodesToTheSameBytes() {
        byte[] original = TestData.bytes(TestData.sharedTrace("cronjob.sktrace"));
        Trace t = TraceFile.open(TraceSource.of("cronjob.sktrace", original)).readAll();
        assertArrayEquals(original, TraceWriter.toBytes(t));
    }

    @Test
    void cronJobTraceDecodesToWhatSimKubeWrote() {
        TraceFile f = TraceFile.open(TestData.sharedTrace("cronjob.sktrace"));
        assertEquals(SourceFormat.V2, f.format());
        assertEquals(3, f.eventCount());
        assertEquals(1743286823L, f.firstTs());
        assertEquals(1743287028L, f.lastTs());
        Map<Long, List<PodLifecycle>> buckets =
                f.lifecycles().entries().get(new LifecycleOwner("batch/v1.CronJob", "default/hello-simkube"));
        assertEquals(1, buckets.size());
        List<PodLifecycle> lcs = buckets.get(Long.parseUnsignedLong("10855072724872030168"));
        assertEquals(List.of(
                new PodLifecycle.Finished(1743286861, 1743286891),
                new PodLifecycle.Finished(1743286921, 1743286951),
                new PodLifecycle.Finished(1743286981, 1743287011)), lcs);
        Trace t = f.readAll();
        assertEquals("CronJob", t.events().get(1).applied().get(0).kind());
        assertInstanceOf(com.fasterxml.jackson.databind.node.ObjectNode.class, t.events().get(2).deleted().get(0).get("spec"));
    }
}
