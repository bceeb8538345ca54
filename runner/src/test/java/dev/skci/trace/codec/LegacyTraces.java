package dev.skci.trace.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * Hand-built traces in the pre-version-2 array layouts, written with msgpack-core the way SimKube
 * 0.4 (v0: {@code [config, events]}) and kubecon-2023..1.1.1 (v1: {@code [config, events, index,
 * pod_lifecycles]}) did: core GVKs with a leading slash, the singular {@code podSpecTemplatePath},
 * {@code created_objs}, a flat index and lifecycles keyed by namespace/name.
 */
public final class LegacyTraces {
    private LegacyTraces() {}

    public static final BigInteger U64_MAX = new BigInteger("18446744073709551615");

    public static byte[] v1() {
        Msgpack.init();
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packArrayHeader(4);
            p.packMapHeader(1).packString("trackedObjects").packMapHeader(2);
            p.packString("apps/v1.Deployment").packMapHeader(1).packString("podSpecTemplatePath").packString("/spec/template");
            p.packString("/v1.Pod").packMapHeader(2).packString("podSpecTemplatePath").packNil()
                    .packString("trackLifecycle").packBoolean(true);
            p.packArrayHeader(2);
            p.packMapHeader(3).packString("ts").packLong(100);
            p.packString("created_objs").packArrayHeader(2);
            object(p, "apps/v1", "Deployment", "d");
            object(p, "v1", "Pod", "p");
            p.packString("deleted_objs").packArrayHeader(0);
            p.packMapHeader(3).packString("ts").packLong(200);
            p.packString("created_objs").packArrayHeader(0);
            // An early deletion stub: metadata only, no apiVersion or kind.
            p.packString("deleted_objs").packArrayHeader(1)
                    .packMapHeader(1).packString("metadata").packMapHeader(2)
                    .packString("name").packString("d").packString("namespace").packString("ns");
            p.packMapHeader(3);
            p.packString("ns/d").packLong(123);
            p.packString("ns/p").packBigInteger(U64_MAX);
            p.packString("ns/unknown").packLong(5);
            p.packMapHeader(1).packString("ns/p").packMapHeader(1).packLong(77).packArrayHeader(1)
                    .packMapHeader(1).packString("Finished").packArrayHeader(2).packLong(100).packLong(130);
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] v0() {
        Msgpack.init();
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packArrayHeader(2);
            p.packMapHeader(1).packString("trackedObjects").packMapHeader(1);
            p.packString("/v1.Pod").packMapHeader(1).packString("podSpecPath").packString("/spec");
            p.packArrayHeader(1);
            p.packMapHeader(3).packString("ts").packLong(7);
            p.packString("created_objs").packArrayHeader(1);
            object(p, "v1", "Pod", "p");
            p.packString("deleted_objs").packArrayHeader(0);
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void object(MessagePacker p, String apiVersion, String kind, String name) throws IOException {
        p.packMapHeader(4);
        p.packString("apiVersion").packString(apiVersion);
        p.packString("kind").packString(kind);
        p.packString("metadata").packMapHeader(2).packString("name").packString(name).packString("namespace").packString("ns");
        p.packString("spec").packMapHeader(1).packString("containers").packArrayHeader(0);
    }
}
