package dev.skci.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.trace.codec.TraceFile;
import dev.skci.trace.codec.TraceSource;
import dev.skci.trace.codec.TraceWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders for traces in tests: objects from JSON text, traces in memory or on disk. */
public final class TestTraces {
    private TestTraces() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An object from JSON text; single quotes stand for double quotes to keep tests readable. */
    public static KubeObject obj(String text) {
        return new KubeObject(json(text));
    }

    public static KubeObject deployment(String ns, String name, int replicas) {
        return obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'" + name + "','namespace':'" + ns
                + "'},'spec':{'replicas':" + replicas + ",'template':{'metadata':{'labels':{'app':'" + name
                + "'}},'spec':{'containers':[{'name':'c','image':'busybox'}]}}}}");
    }

    public static TraceEvent event(long ts, List<KubeObject> applied, List<KubeObject> deleted) {
        return new TraceEvent(ts, applied, deleted);
    }

    public static TracerConfig config(String json) {
        return new TracerConfig(json(json));
    }

    public static TraceIndex index(Object... gvkNsNameHash) {
        Map<String, Map<String, Long>> m = new LinkedHashMap<>();
        for (int i = 0; i < gvkNsNameHash.length; i += 3) {
            m.computeIfAbsent((String) gvkNsNameHash[i], k -> new LinkedHashMap<>())
                    .put((String) gvkNsNameHash[i + 1], ((Number) gvkNsNameHash[i + 2]).longValue());
        }
        return new TraceIndex(m);
    }

    public static byte[] bytes(Trace t) {
        return TraceWriter.toBytes(t);
    }

    public static TraceFile open(String name, Trace t) {
        return TraceFile.open(TraceSource.of(name, bytes(t)));
    }

    public static Path write(Path dir, String name, byte[] bytes) {
        try {
            Path p = dir.resolve(name);
            Files.write(p, bytes);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
