package dev.skci.trace.codec;

import java.io.InputStream;
import java.io.OutputStream;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * The one place that creates msgpack-core readers and writers. msgpack-core's default buffers use
 * {@code sun.misc.Unsafe}, which JDK 24 and newer warn about on standard error (four lines that would
 * break skci's one-line error contract) and will eventually refuse. Its portable ByteBuffer-based
 * buffer avoids that; it is selected here, before any msgpack-core buffer class loads, unless the
 * user set {@code -Dmsgpack.universal-buffer} explicitly.
 */
public final class Msgpack {
    private Msgpack() {}

    static {
        if (System.getProperty("msgpack.universal-buffer") == null) {
            System.setProperty("msgpack.universal-buffer", "true");
        }
    }

    /** Call early (e.g. from main or a test) to make sure the buffer choice happens before any other msgpack use. */
    public static void init() {
        // The static initializer does the work.
    }

    public static MessageUnpacker unpacker(InputStream in, int bufferSize) {
        return new MessagePack.UnpackerConfig().withBufferSize(bufferSize).newUnpacker(in);
    }

    public static MessageUnpacker unpacker(byte[] bytes) {
        return MessagePack.newDefaultUnpacker(bytes);
    }

    public static MessagePacker packer(OutputStream out) {
        return MessagePack.newDefaultPacker(out);
    }
}
