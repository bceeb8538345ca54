package dev.skci.bench;

import dev.skci.trace.KubeObject;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.codec.Msgpack;
import dev.skci.trace.codec.TraceFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading one large trace file, four ways, each a full pass over the same bytes (page-cached after the
 * first pass): msgpack-core's bare skim (the baseline), skci's own skim ({@link TraceFile#open}: index
 * and lifecycles decoded, events skipped), the event pass ({@link TraceFile#events()}: every object
 * decoded into a tree), and both together (what a replay does). Average time per full pass; each
 * measurement iteration repeats the pass for a few seconds, after warm-up iterations that let the JIT
 * compile the readers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TraceDecodeBenchmark {

    @Param("")
    public String file;

    private Path path;
    private TraceFile opened;

    @Setup(Level.Trial)
    public void setup() {
        Msgpack.init(); // the same msgpack-core buffer implementation for every method
        path = Path.of(file);
        opened = TraceFile.open(path);
    }

    /** msgpack-core alone: one skipValue over the whole file (the top-level map). */
    @Benchmark
    public long msgpackSkim() throws IOException {
        try (InputStream in = Files.newInputStream(path);
                MessageUnpacker u = new MessagePack.UnpackerConfig().withBufferSize(1 << 16).newUnpacker(in)) {
            u.skipValue();
            return u.getTotalReadBytes();
        }
    }

    /** skci's first pass: config, index and lifecycles decoded, events skimmed for their ts. */
    @Benchmark
    public int skciOpen() {
        return TraceFile.open(path).eventCount();
    }

    /** skci's event pass: every event decoded into trees, one at a time. */
    @Benchmark
    public void skciEvents(Blackhole bh) {
        consume(opened, bh);
    }

    /** Open plus the event pass: everything a replay reads. */
    @Benchmark
    public void skciOpenAndEvents(Blackhole bh) {
        consume(TraceFile.open(path), bh);
    }

    static long consume(TraceFile f, Blackhole bh) {
        long objects = 0;
        try (TraceFile.EventCursor c = f.events()) {
            while (c.hasNext()) {
                TraceEvent e = c.next();
                for (KubeObject o : e.applied()) {
                    bh.consume(o);
                    objects++;
                }
                for (KubeObject o : e.deleted()) {
                    bh.consume(o);
                    objects++;
                }
            }
        }
        return objects;
    }
}
