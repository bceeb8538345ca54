package dev.skci.bench;

import dev.skci.trace.TraceEvent;
import dev.skci.trace.codec.TraceFile;
import dev.skci.trace.validate.ValidationReport;
import dev.skci.trace.validate.Validator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a JVM with a small heap ({@code -Xmx}): reads every event of a trace (and, second, validates
 * it) and reports the peak heap in use, and the heap still in use after a full GC halfway through the
 * events (what the reader really holds: the index, the lifecycles, the current event). Finishing at
 * all with a heap smaller than the file shows that events are streamed. Prints one line per pass:
 * {@code <pass> peakHeapMB=<n> liveMidwayMB=<n> maxHeapMB=<n> seconds=<s> (...)}.
 */
public final class HeapProbe {
    private HeapProbe() {}

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        long maxMb = Runtime.getRuntime().maxMemory() >> 20;
        run("events", maxMb, () -> {
            long objects = 0;
            TraceFile f = TraceFile.open(file);
            try (TraceFile.EventCursor c = f.events()) {
                while (c.hasNext()) {
                    if (c.nextIndex() == f.eventCount() / 2) {
                        System.gc();
                        liveMidway = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    }
                    TraceEvent e = c.next();
                    objects += e.applied().size() + e.deleted().size();
                }
            }
            return objects + " objects in " + f.eventCount() + " events";
        });
        run("validate", maxMb, () -> {
            ValidationReport r = Validator.validate(TraceFile.open(file));
            return r.objectCount() + " objects, " + r.findings().size() + " findings";
        });
    }

    private static long liveMidway = -1;

    interface Pass {
        String run();
    }

    private static void run(String name, long maxMb, Pass pass) {
        System.gc();
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        // Sum of each pool's peak: an upper bound of the true peak (pools peak at different moments).
        long t0 = System.nanoTime();
        String what = pass.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long peak = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf("%s peakHeapMB=%d%s maxHeapMB=%d seconds=%.1f (%s)%n", name, peak >> 20,
                liveMidway < 0 ? "" : " liveMidwayMB=" + (liveMidway >> 20), maxMb, seconds, what);
        liveMidway = -1;
    }
}
