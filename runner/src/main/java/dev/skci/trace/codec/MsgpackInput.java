package dev.skci.trace.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessageIntegerOverflowException;
import org.msgpack.core.MessageNeverUsedFormatException;
import org.msgpack.core.MessageSizeException;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * A guarded msgpack reader over msgpack-core: every length header is checked against the bytes left in
 * the file before anything is allocated, nesting depth is bounded, strings must be valid UTF-8, and
 * every failure becomes a {@link TraceFormatException} naming the byte offset. Values decode into
 * Jackson trees that keep key order, int vs float and uint64.
 */
final class MsgpackInput implements Closeable {
    /** Kubernetes objects nest a few dozen levels at most; this only stops hostile input. */
    static final int MAX_DEPTH = 512;

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(false);
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final String sourceName;
    private final long base;
    private final long size;
    private final MessageUnpacker unpacker;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] scratch = new byte[256];
    private final KeyCache keys = new KeyCache();
    private String context = "";

    MsgpackInput(TraceSource source, long offset) throws IOException {
        this.sourceName = source.name();
        this.base = offset;
        this.size = source.size();
        InputStream in = source.open(offset);
        this.unpacker = Msgpack.unpacker(in, 1 << 16);
    }

    /** Absolute byte offset of the next value. */
    long position() {
        return base + unpacker.getTotalReadBytes();
    }

    /** Where in the trace we are, for messages, e.g. {@code events[3]}. */
    void context(String where) {
        this.context = where;
    }

    TraceFormatException error(long at, String problem) {
        return new TraceFormatException(sourceName, at, (context.isEmpty() ? "" : "in " + context + ": ") + problem);
    }

    /** Converts msgpack-core and I/O failures into a one-line error at the current offset. */
    TraceFormatException wrap(Exception e) {
        return wrap(e, position());
    }

    /** As {@link #wrap(Exception)}, blaming the value that starts at {@code at}. */
    TraceFormatException wrap(Exception e, long at) {
        if (e instanceof TraceFormatException t) {
            return t;
        }
        if (e instanceof MessageInsufficientBufferException || e instanceof java.io.EOFException) {
            return error(size, "the file ends in the middle of a value (truncated at " + size
                    + " bytes); re-export or restore the trace");
        }
        if (e instanceof MessageSizeException m) {
            return error(at, "a length header claims " + Long.toUnsignedString(m.getSize())
                    + " bytes or elements, more than the file holds; the file is truncated or corrupt");
        }
        if (e instanceof MessageNeverUsedFormatException) {
            return error(at, "byte 0xc1 is not valid msgpack; the file is corrupt");
        }
        if (e instanceof MessageIntegerOverflowException) {
            return error(at, "an integer does not fit in 64 bits; the file is corrupt");
        }
        if (e instanceof MessagePackException) {
            return new TraceFormatException(sourceName, at, (context.isEmpty() ? "" : "in " + context + ": ")
                    + "corrupt msgpack" + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        return new TraceFormatException(sourceName, at, (context.isEmpty() ? "" : "in " + context + ": ")
                + "cannot read: " + (e.getMessage() == null ? "I/O error" : e.getMessage()), e);
    }

    boolean hasNext() throws IOException {
        return unpacker.hasNext();
    }

    MessageFormat nextFormat() throws IOException {
        if (!unpacker.hasNext()) {
            throw error(size, "the file ends where a value was expected (truncated at " + size
                    + " bytes); re-export or restore the trace");
        }
        MessageFormat f = unpacker.getNextFormat();
        if (f == MessageFormat.NEVER_USED) {
            throw error(position(), "byte 0xc1 is not valid msgpack; the file is corrupt");
        }
        return f;
    }

    private long remaining() {
        return size - position();
    }

    int arrayHeader(String what) throws IOException {
        long at = position();
        MessageFormat f = nextFormat();
        if (f.getValueType() != ValueType.ARRAY) {
            throw error(at, what + " must be an array, found " + describe(f));
        }
        int n;
        try {
            n = unpacker.unpackArrayHeader();
        } catch (MessagePackException e) {
            throw wrap(e, at);
        }
        if (n < 0 || n > remaining()) {
            throw error(at, what + " claims " + Integer.toUnsignedString(n) + " elements but only " + remaining()
                    + " bytes follow; the file is truncated or corrupt");
        }
        return n;
    }

    int mapHeader(String what) throws IOException {
        long at = position();
        MessageFormat f = nextFormat();
        if (f.getValueType() != ValueType.MAP) {
            throw error(at, what + " must be a map, found " + describe(f));
        }
        int n;
        try {
            n = unpacker.unpackMapHeader();
        } catch (MessagePackException e) {
            throw wrap(e, at);
        }
        if (n < 0 || 2L * n > remaining()) {
            throw error(at, what + " claims " + Integer.toUnsignedString(n) + " entries but only " + remaining()
                    + " bytes follow; the file is truncated or corrupt");
        }
        return n;
    }

    String string(String what) throws IOException {
        long at = position();
        MessageFormat f = nextFormat();
        if (f.getValueType() != ValueType.STRING) {
            throw error(at, what + " must be a string, found " + describe(f));
        }
        return readString(at, false);
    }

    /** A map key that must be a string; short keys are interned, since they repeat in every object. */
    String key(String what) throws IOException {
        long at = position();
        MessageFormat f = nextFormat();
        if (f.getValueType() != ValueType.STRING) {
            throw error(at, what + " keys must be strings, found " + describe(f));
        }
        return readString(at, true);
    }

    private String readString(long at, boolean intern) throws IOException {
        int len;
        try {
            len = unpacker.unpackRawStringHeader();
        } catch (MessagePackException e) {
            throw wrap(e, at);
        }
        if (len < 0 || len > remaining()) {
            throw error(at, "a string claims " + Integer.toUnsignedString(len) + " bytes but only " + remaining()
                    + " bytes follow; the file is truncated or corrupt");
        }
        if (len > scratch.length) {
            scratch = new byte[Math.max(len, scratch.length * 2)];
        }
        unpacker.readPayload(scratch, 0, len);
        if (intern && len <= KeyCache.MAX_LEN) {
            String cached = keys.get(scratch, len);
            if (cached != null) {
                return cached;
            }
        }
        String s = decodeUtf8(at, len);
        if (intern && len <= KeyCache.MAX_LEN) {
            keys.put(scratch, len, s);
        }
        return s;
    }

    private String decodeUtf8(long at, int len) {
        byte[] b = scratch;
        int i = 0;
        while (i < len && b[i] >= 0) {
            i++;
        }
        if (i == len) {
            return new String(b, 0, len, StandardCharsets.ISO_8859_1); // pure ASCII: the fast path
        }
        try {
            CharBuffer cb = utf8.reset().decode(ByteBuffer.wrap(b, 0, len));
            return cb.toString();
        } catch (CharacterCodingException e) {
            throw error(at, "a string is not valid UTF-8");
        }
    }

    /** A signed 64-bit integer field such as a timestamp. */
    long int64(String what) throws IOException {
        long at = position();
        MessageFormat f = nextFormat();
        if (f.getValueType() != ValueType.INTEGER) {
            throw error(at, what + " must be an integer, found " + describe(f));
        }
        if (f == MessageFormat.UINT64) {
            BigInteger v = unpacker.unpackBigInteger();
            if (v.bitLength() > 63) {
                throw error(at, what + " " + v + " is out of range for a signed 64-bit integer");
            }
            return v.longValue();
        }
        return unpacker.unpackLong();
    }

    /** An unsigned 64-bit integer (a hash), returned in a long's bits. Negative markers are refused, as upstream does. */
    long uint64(String what) throws IOException {
        long at = position();
        MessageFormat f = nextFormat();
        if (f.getValueType() != ValueType.INTEGER) {
            throw error(at, what + " must be an unsigned integer, found " + describe(f));
        }
        if (f == MessageFormat.UINT64) {
            return unpacker.unpackBigInteger().longValue();
        }
        long v = unpacker.unpackLong();
        if (v < 0) {
            throw error(at, what + " must be unsigned, found " + v);
        }
        return v;
    }

    boolean isNil() throws IOException {
        return nextFormat() == MessageFormat.NIL;
    }

    void nil() throws IOException {
        unpacker.unpackNil();
    }

    /**
     * Skips one value, checking every length header against the bytes left (msgpack-core's own
     * skipValue adds up element counts in an int, which a corrupt 32-bit header can overflow).
     */
    void skip() throws IOException {
        long pending = 1;
        while (pending > 0) {
            long at = position();
            MessageFormat f = nextFormat();
            switch (f) {
                case FIXARRAY, ARRAY16, ARRAY32 -> pending += arrayHeader("an array");
                case FIXMAP, MAP16, MAP32 -> pending += 2L * mapHeader("a map");
                case STR32, BIN32, EXT32 -> skipLong(f, at);
                default -> {
                    try {
                        unpacker.skipValue();
                    } catch (MessagePackException e) {
                        throw wrap(e, at);
                    }
                }
            }
            pending--;
        }
    }

    /** A value with a 32-bit length: rare, so it is read through the scratch buffer after the length is checked. */
    private void skipLong(MessageFormat f, long at) throws IOException {
        long len;
        try {
            len = switch (f) {
                case STR32 -> unpacker.unpackRawStringHeader();
                case BIN32 -> unpacker.unpackBinaryHeader();
                default -> unpacker.unpackExtensionTypeHeader().getLength();
            };
        } catch (MessagePackException e) {
            throw wrap(e, at);
        }
        if (len < 0 || len > remaining()) {
            throw error(at, "a value claims " + Long.toUnsignedString(len) + " bytes but only " + remaining()
                    + " bytes follow; the file is truncated or corrupt");
        }
        while (len > 0) {
            int n = (int) Math.min(len, scratch.length);
            unpacker.readPayload(scratch, 0, n);
            len -= n;
        }
    }

    /** Decodes one JSON-compatible value (what serde_json::Value accepts): no bin, no ext, string keys. */
    JsonNode value() throws IOException {
        return value(0);
    }

    /** Decodes a map that must hold string keys into an ObjectNode. */
    ObjectNode object(String what) throws IOException {
        long at = position();
        MessageFormat f = nextFormat();
        if (f.getValueType() != ValueType.MAP) {
            throw error(at, what + " must be a map, found " + describe(f));
        }
        return (ObjectNode) value(0);
    }

    private JsonNode value(int depth) throws IOException {
        long at = position();
        if (depth > MAX_DEPTH) {
            throw error(at, "values nest deeper than " + MAX_DEPTH + " levels");
        }
        MessageFormat f = nextFormat();
        switch (f.getValueType()) {
            case NIL -> {
                unpacker.unpackNil();
                return NODES.nullNode();
            }
            case BOOLEAN -> {
                return NODES.booleanNode(unpacker.unpackBoolean());
            }
            case INTEGER -> {
                if (f == MessageFormat.UINT64) {
                    BigInteger v = unpacker.unpackBigInteger();
                    return v.bitLength() <= 63 ? NODES.numberNode(v.longValue()) : NODES.numberNode(v);
                }
                long v = unpacker.unpackLong();
                return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
            }
            case FLOAT -> {
                double d = unpacker.unpackDouble();
                // serde_json cannot hold NaN or infinities and reads them as null; do the same.
                return Double.isFinite(d) ? NODES.numberNode(d) : NODES.nullNode();
            }
            case STRING -> {
                return NODES.textNode(readString(at, false));
            }
            case ARRAY -> {
                int n = arrayHeader("an array");
                ArrayNode a = NODES.arrayNode(Math.min(n, 64));
                for (int i = 0; i < n; i++) {
                    a.add(value(depth + 1));
                }
                return a;
            }
            case MAP -> {
                int n = mapHeader("a map");
                ObjectNode o = NODES.objectNode();
                for (int i = 0; i < n; i++) {
                    String k = key("map");
                    o.set(k, value(depth + 1));
                }
                return o;
            }
            case BINARY -> throw error(at, "found a msgpack bin value; traces hold only JSON values");
            case EXTENSION -> throw error(at, "found a msgpack ext value; traces hold only JSON values");
            default -> throw error(at, "unexpected msgpack value " + f);
        }
    }

    static String describe(MessageFormat f) {
        return switch (f.getValueType()) {
            case NIL -> "nil";
            case BOOLEAN -> "a boolean";
            case INTEGER -> "an integer";
            case FLOAT -> "a float";
            case STRING -> "a string";
            case BINARY -> "bin data";
            case ARRAY -> "an array";
            case MAP -> "a map";
            case EXTENSION -> "an ext value";
        };
    }

    static boolean fitsUint64(BigInteger v) {
        return v.signum() >= 0 && v.compareTo(UINT64_MAX) <= 0;
    }

    @Override
    public void close() throws IOException {
        unpacker.close();
    }

    /** A small direct-mapped cache from key bytes to String; keys like "name" repeat millions of times. */
    private static final class KeyCache {
        static final int MAX_LEN = 32;
        private static final int SLOTS = 1024;
        private final byte[][] bytes = new byte[SLOTS][];
        private final String[] strings = new String[SLOTS];

        private static int slot(byte[] b, int len) {
            int h = len;
            for (int i = 0; i < len; i++) {
                h = 31 * h + b[i];
            }
            return (h ^ (h >>> 16)) & (SLOTS - 1);
        }

        String get(byte[] b, int len) {
            int s = slot(b, len);
            byte[] k = bytes[s];
            return k != null && Arrays.equals(k, 0, k.length, b, 0, len) ? strings[s] : null;
        }

        void put(byte[] b, int len, String value) {
            int s = slot(b, len);
            bytes[s] = Arrays.copyOf(b, len);
            strings[s] = value;
        }
    }
}
