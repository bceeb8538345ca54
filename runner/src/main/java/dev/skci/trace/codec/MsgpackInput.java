package dev.skci.trace.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import org.msgpack.core.MessageFormat;
import org.msgpack.value.ValueType;

/**
 * A guarded msgpack reader working directly on a byte buffer: every length header is checked against
 * the bytes left in the file before anything is allocated or skipped, nesting depth is bounded,
 * strings must be valid UTF-8, and every failure becomes a {@link TraceFormatException} naming the
 * byte offset. Values decode into Jackson trees that keep key order, int vs float and uint64.
 *
 * <p>It does not use msgpack-core's unpacker: decoding a trace is dominated by small strings and maps,
 * and reading them straight from the buffer (no intermediate copies, map keys and short values shared
 * through small caches) is several times faster. msgpack-core still supplies {@link MessageFormat} so
 * callers can talk about formats in its terms.
 */
final class MsgpackInput implements Closeable {
    /** Kubernetes objects nest a few dozen levels at most; this only stops hostile input. */
    static final int MAX_DEPTH = 512;

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(false);
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final int BUFFER = 1 << 16;
    /** Containers are pre-sized from their headers, but never beyond this: a corrupt header must not allocate. */
    private static final int MAX_PRESIZE = 1024;
    /** IntNodes are immutable; small ones (ports, counts, modes) are shared instead of allocated each time. */
    private static final int SMALL_INT_MIN_OFFSET = 128;
    private static final IntNode[] SMALL_INTS = new IntNode[128 + 1024];

    static {
        for (int i = 0; i < SMALL_INTS.length; i++) {
            SMALL_INTS[i] = IntNode.valueOf(i - SMALL_INT_MIN_OFFSET);
        }
    }

    /** Maps up to this size use {@link CompactObjectMap}; lookups in it are linear. */
    private static final int COMPACT_MAP_MAX = 16;

    private final String sourceName;
    private final long size;
    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;
    /** Absolute file offset of {@code buf[0]}. */
    private long bufStart;
    private boolean eof;

    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] scratch = new byte[256];
    private final BytesCache<String> keys = new BytesCache<>(2048, 48);
    private final BytesCache<TextNode> texts = new BytesCache<>(4096, 128);
    private String context = "";
    private int contextIndex = -1;

    MsgpackInput(TraceSource source, long offset) throws IOException {
        this.sourceName = source.name();
        this.size = source.size();
        this.in = source.open(offset);
        this.bufStart = offset;
    }

    // ---- position, context and errors ----

    /** Absolute byte offset of the next value. */
    long position() {
        return bufStart + pos;
    }

    /** Where in the trace we are, for messages, e.g. {@code config}. */
    void context(String where) {
        this.context = where;
        this.contextIndex = -1;
    }

    /** {@code context("events", 3)} reads {@code events[3]}; the text is only built for an error. */
    void context(String where, int index) {
        this.context = where;
        this.contextIndex = index;
    }

    private String contextPrefix() {
        if (context.isEmpty()) {
            return "";
        }
        return "in " + context + (contextIndex >= 0 ? "[" + contextIndex + "]" : "") + ": ";
    }

    TraceFormatException error(long at, String problem) {
        return new TraceFormatException(sourceName, at, contextPrefix() + problem);
    }

    private TraceFormatException truncated() {
        return error(size, "the file ends in the middle of a value (truncated at " + size
                + " bytes); re-export or restore the trace");
    }

    /** Converts an I/O failure into a one-line error at the current offset. */
    TraceFormatException wrap(Exception e) {
        if (e instanceof TraceFormatException t) {
            return t;
        }
        if (e instanceof java.io.EOFException) {
            return truncated();
        }
        return new TraceFormatException(sourceName, position(), contextPrefix() + "cannot read: "
                + (e.getMessage() == null ? "I/O error" : e.getMessage()), e);
    }

    // ---- the buffer ----

    /** Makes at least {@code n} (at most {@link #BUFFER}) bytes available at {@code pos}; false at end of file. */
    private boolean fill(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        if (pos > 0) {
            int left = limit - pos;
            System.arraycopy(buf, pos, buf, 0, left);
            bufStart += pos;
            pos = 0;
            limit = left;
        }
        while (limit < n && !eof) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
        return limit - pos >= n;
    }

    private void require(int n) throws IOException {
        if (limit - pos < n && !fill(n)) {
            throw truncated();
        }
    }

    private int u8() throws IOException {
        if (pos >= limit) {
            require(1);
        }
        return buf[pos++] & 0xff;
    }

    private int u16() throws IOException {
        require(2);
        int v = (buf[pos] & 0xff) << 8 | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    private long u32() throws IOException {
        require(4);
        long v = (buf[pos] & 0xffL) << 24 | (buf[pos + 1] & 0xffL) << 16 | (buf[pos + 2] & 0xffL) << 8 | (buf[pos + 3] & 0xffL);
        pos += 4;
        return v;
    }

    private long i64() throws IOException {
        require(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (buf[pos + i] & 0xffL);
        }
        pos += 8;
        return v;
    }

    /** Skips {@code n} bytes that are known to be in the file. */
    private void skipBytes(long n) throws IOException {
        while (n > 0) {
            if (pos == limit && !fill(1)) {
                throw truncated();
            }
            int step = (int) Math.min(n, limit - pos);
            pos += step;
            n -= step;
        }
    }

    private long remaining() {
        return size - position();
    }

    boolean hasNext() throws IOException {
        return pos < limit || fill(1);
    }

    /** The format of the next value, without consuming it. */
    MessageFormat nextFormat() throws IOException {
        if (!hasNext()) {
            throw error(size, "the file ends where a value was expected (truncated at " + size
                    + " bytes); re-export or restore the trace");
        }
        MessageFormat f = MessageFormat.valueOf(buf[pos]);
        if (f == MessageFormat.NEVER_USED) {
            throw error(position(), "byte 0xc1 is not valid msgpack; the file is corrupt");
        }
        return f;
    }

    // ---- headers ----

    /** Reads an array header (the next byte is known to start an array); checks the count. */
    private int arrayCount(long at, int b) throws IOException {
        long n = b <= 0x9f ? b & 0x0f : b == 0xdc ? u16() : u32();
        if (n > remaining()) {
            throw error(at, "an array claims " + n + " elements but only " + remaining()
                    + " bytes follow; the file is truncated or corrupt");
        }
        return (int) n;
    }

    private int mapCount(long at, int b) throws IOException {
        long n = b <= 0x8f ? b & 0x0f : b == 0xde ? u16() : u32();
        if (2 * n > remaining()) {
            throw error(at, "a map claims " + n + " entries but only " + remaining()
                    + " bytes follow; the file is truncated or corrupt");
        }
        return (int) n;
    }

    /** Length of a str/bin/ext payload whose header byte {@code b} was just read; checked against the file. */
    private long payloadLength(long at, int b) throws IOException {
        long len = switch (b) {
            case 0xd9, 0xc4, 0xc7 -> u8();
            case 0xda, 0xc5, 0xc8 -> u16();
            case 0xdb, 0xc6, 0xc9 -> u32();
            case 0xd4 -> 1;
            case 0xd5 -> 2;
            case 0xd6 -> 4;
            case 0xd7 -> 8;
            case 0xd8 -> 16;
            default -> b & 0x1f; // fixstr
        };
        if (b >= 0xc7 && b <= 0xc9 || b >= 0xd4 && b <= 0xd8) {
            len += 1; // the ext type byte
        }
        if (len > remaining()) {
            throw error(at, "a value claims " + len + " bytes but only " + remaining()
                    + " bytes follow; the file is truncated or corrupt");
        }
        return len;
    }

    int arrayHeader(String what) throws IOException {
        long at = position();
        MessageFormat f = nextFormat();
        if (f.getValueType() != ValueType.ARRAY) {
            throw error(at, what + " must be an array, found " + describe(f));
        }
        return arrayCount(at, u8());
    }

    int mapHeader(String what) throws IOException {
        long at = position();
        MessageFormat f = nextFormat();
        if (f.getValueType() != ValueType.MAP) {
            throw error(at, what + " must be a map, found " + describe(f));
        }
        return mapCount(at, u8());
    }

    // ---- scalars ----

    String string(String what) throws IOException {
        return string(what, false);
    }

    /** A string that repeats through the file (a GVK): decoded once and shared like map keys. */
    String sharedString(String what) throws IOException {
        return string(what, true);
    }

    private String string(String what, boolean shared) throws IOException {
        long at = position();
        int b = peekByte();
        if (!isString(b)) {
            throw error(at, what + " must be a string, found " + describe(nextFormat()));
        }
        pos++;
        return readString(at, (int) payloadLength(at, b), shared);
    }

    /** A map key that must be a string; short keys are shared, since they repeat in every object. */
    String key(String what) throws IOException {
        long at = position();
        int b = peekByte();
        if ((b & 0xe0) == 0xa0 && limit - pos > (b & 0x1f)) {
            // The common case, a short key wholly inside the buffer: no length checks needed.
            int len = b & 0x1f;
            int off = ++pos;
            pos += len;
            String cached = keys.get(buf, off, len);
            if (cached != null) {
                return cached;
            }
            String s = decodeUtf8(at, buf, off, len);
            keys.put(buf, off, len, s);
            return s;
        }
        if (!isString(b)) {
            throw error(at, what + " keys must be strings, found " + describe(nextFormat()));
        }
        pos++;
        return readString(at, (int) payloadLength(at, b), true);
    }

    private int peekByte() throws IOException {
        if (pos >= limit && !fill(1)) {
            throw error(size, "the file ends where a value was expected (truncated at " + size
                    + " bytes); re-export or restore the trace");
        }
        return buf[pos] & 0xff;
    }

    private static boolean isString(int b) {
        return (b >= 0xa0 && b <= 0xbf) || (b >= 0xd9 && b <= 0xdb);
    }

    private String readString(long at, int len, boolean shared) throws IOException {
        byte[] b;
        int off;
        if (len <= BUFFER) {
            require(len);
            b = buf;
            off = pos;
            pos += len;
        } else {
            if (len > scratch.length) {
                scratch = new byte[len];
            }
            readFully(scratch, len);
            b = scratch;
            off = 0;
        }
        if (shared && len <= keys.maxLen()) {
            String cached = keys.get(b, off, len);
            if (cached != null) {
                return cached;
            }
            String s = decodeUtf8(at, b, off, len);
            keys.put(b, off, len, s);
            return s;
        }
        return decodeUtf8(at, b, off, len);
    }

    private TextNode readText(long at, int len) throws IOException {
        if (len > texts.maxLen()) {
            return NODES.textNode(readString(at, len, false));
        }
        require(len);
        int off = pos;
        pos += len;
        TextNode cached = texts.get(buf, off, len);
        if (cached != null) {
            return cached;
        }
        TextNode t = NODES.textNode(decodeUtf8(at, buf, off, len));
        texts.put(buf, off, len, t);
        return t;
    }

    private void readFully(byte[] dst, int len) throws IOException {
        int done = 0;
        while (done < len) {
            if (pos == limit && !fill(1)) {
                throw truncated();
            }
            int step = Math.min(len - done, limit - pos);
            System.arraycopy(buf, pos, dst, done, step);
            pos += step;
            done += step;
        }
    }

    private String decodeUtf8(long at, byte[] b, int off, int len) {
        // The JDK's decoder is fast (vectorised for ASCII) but replaces malformed input with U+FFFD;
        // only when a U+FFFD shows up is the strict decoder needed to tell a real one from an error.
        String s = new String(b, off, len, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') >= 0) {
            try {
                utf8.reset().decode(ByteBuffer.wrap(b, off, len));
            } catch (CharacterCodingException e) {
                throw error(at, "a string is not valid UTF-8");
            }
        }
        return s;
    }

    /** A signed 64-bit integer field such as a timestamp. */
    long int64(String what) throws IOException {
        long at = position();
        int b = peekByte();
        if (!isInteger(b)) {
            throw error(at, what + " must be an integer, found " + describe(nextFormat()));
        }
        pos++;
        if (b == 0xcf) {
            long v = i64();
            if (v < 0) {
                throw error(at, what + " " + Long.toUnsignedString(v) + " is out of range for a signed 64-bit integer");
            }
            return v;
        }
        return integer(b);
    }

    /** An unsigned 64-bit integer (a hash), returned in a long's bits. Negative markers are refused, as upstream does. */
    long uint64(String what) throws IOException {
        long at = position();
        int b = peekByte();
        if (!isInteger(b)) {
            throw error(at, what + " must be an unsigned integer, found " + describe(nextFormat()));
        }
        pos++;
        if (b == 0xcf) {
            return i64();
        }
        long v = integer(b);
        if (v < 0) {
            throw error(at, what + " must be unsigned, found " + v);
        }
        return v;
    }

    private static boolean isInteger(int b) {
        return b <= 0x7f || b >= 0xe0 || (b >= 0xcc && b <= 0xd3);
    }

    /** The value of an integer whose marker {@code b} was just read; uint64 is returned in a long's bits. */
    private long integer(int b) throws IOException {
        if (b <= 0x7f) {
            return b;
        }
        if (b >= 0xe0) {
            return (byte) b;
        }
        return switch (b) {
            case 0xcc -> u8();
            case 0xcd -> u16();
            case 0xce -> u32();
            case 0xcf -> i64();
            case 0xd0 -> (byte) u8();
            case 0xd1 -> (short) u16();
            case 0xd2 -> (int) u32();
            default -> i64(); // 0xd3
        };
    }

    void nil() throws IOException {
        u8();
    }

    // ---- skipping ----

    /** Skips one value, checking every length header against the bytes left. */
    void skip() throws IOException {
        long pending = 1;
        while (pending > 0) {
            pending--;
            long at = position();
            int b = u8();
            if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
                continue;
            }
            if (b <= 0x8f || b == 0xde || b == 0xdf) {
                pending += 2L * mapCount(at, b);
            } else if (b <= 0x9f || b == 0xdc || b == 0xdd) {
                pending += arrayCount(at, b);
            } else if (b <= 0xbf) {
                int len = b & 0x1f;
                if (limit - pos >= len) {
                    pos += len; // the common case: a short string inside the buffer
                } else {
                    skipBytes(payloadLength(at, b));
                }
            } else {
                switch (b) {
                    case 0xc1 -> throw error(at, "byte 0xc1 is not valid msgpack; the file is corrupt");
                    case 0xcc, 0xd0 -> skipBytes(1);
                    case 0xcd, 0xd1 -> skipBytes(2);
                    case 0xce, 0xd2, 0xca -> skipBytes(4);
                    case 0xcf, 0xd3, 0xcb -> skipBytes(8);
                    default -> skipBytes(payloadLength(at, b)); // str8/16/32, bin, ext
                }
            }
        }
    }

    // ---- JSON values ----

    /** Decodes one JSON-compatible value (what serde_json::Value accepts): no bin, no ext, string keys. */
    JsonNode value() throws IOException {
        return value(0);
    }

    /** Decodes a map that must hold string keys into an ObjectNode. */
    ObjectNode object(String what) throws IOException {
        long at = position();
        int b = peekByte();
        if (!(b >= 0x80 && b <= 0x8f) && b != 0xde && b != 0xdf) {
            throw error(at, what + " must be a map, found " + describe(nextFormat()));
        }
        return (ObjectNode) value(0);
    }

    private JsonNode value(int depth) throws IOException {
        long at = position();
        int b = u8();
        if (b <= 0x7f) {
            return SMALL_INTS[b + SMALL_INT_MIN_OFFSET];
        }
        if (b <= 0x8f) {
            return map(at, b, depth);
        }
        if (b <= 0x9f) {
            return array(at, b, depth);
        }
        if (b <= 0xbf) {
            return readText(at, b & 0x1f);
        }
        if (b >= 0xe0) {
            return SMALL_INTS[(byte) b + SMALL_INT_MIN_OFFSET];
        }
        switch (b) {
            case 0xc0:
                return NODES.nullNode();
            case 0xc2:
                return NODES.booleanNode(false);
            case 0xc3:
                return NODES.booleanNode(true);
            case 0xca:
                return floatNode(Float.intBitsToFloat((int) u32()));
            case 0xcb:
                return floatNode(Double.longBitsToDouble(i64()));
            case 0xcf: {
                long v = i64();
                return v >= 0 ? NODES.numberNode(v) : NODES.numberNode(new BigInteger(Long.toUnsignedString(v)));
            }
            case 0xcc: case 0xcd: case 0xce: case 0xd0: case 0xd1: case 0xd2: case 0xd3: {
                long v = integer(b);
                if (v >= -SMALL_INT_MIN_OFFSET && v < SMALL_INTS.length - SMALL_INT_MIN_OFFSET) {
                    return SMALL_INTS[(int) v + SMALL_INT_MIN_OFFSET];
                }
                return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
            }
            case 0xd9: case 0xda: case 0xdb: {
                int len = (int) payloadLength(at, b);
                return readText(at, len);
            }
            case 0xdc: case 0xdd:
                return array(at, b, depth);
            case 0xde: case 0xdf:
                return map(at, b, depth);
            case 0xc4: case 0xc5: case 0xc6:
                throw error(at, "found a msgpack bin value; traces hold only JSON values");
            case 0xc1:
                throw error(at, "byte 0xc1 is not valid msgpack; the file is corrupt");
            default:
                throw error(at, "found a msgpack ext value; traces hold only JSON values");
        }
    }

    /** serde_json cannot hold NaN or infinities and reads them as null; do the same. */
    private static JsonNode floatNode(double d) {
        return Double.isFinite(d) ? NODES.numberNode(d) : NODES.nullNode();
    }

    private ObjectNode map(long at, int b, int depth) throws IOException {
        if (depth >= MAX_DEPTH) {
            throw error(at, "values nest deeper than " + MAX_DEPTH + " levels");
        }
        int n = mapCount(at, b);
        // Most Kubernetes maps are small; CompactObjectMap says why they do not get a LinkedHashMap.
        ObjectNode o = new ObjectNode(NODES, n <= COMPACT_MAP_MAX ? new CompactObjectMap(n)
                : new LinkedHashMap<>(Math.min(n, MAX_PRESIZE) * 4 / 3 + 1));
        for (int i = 0; i < n; i++) {
            String k = key("map");
            o.set(k, value(depth + 1));
        }
        return o;
    }

    private ArrayNode array(long at, int b, int depth) throws IOException {
        if (depth >= MAX_DEPTH) {
            throw error(at, "values nest deeper than " + MAX_DEPTH + " levels");
        }
        int n = arrayCount(at, b);
        ArrayNode a = new ArrayNode(NODES, new ArrayList<>(Math.min(n, MAX_PRESIZE)));
        for (int i = 0; i < n; i++) {
            a.add(value(depth + 1));
        }
        return a;
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
        in.close();
    }

    /**
     * A small direct-mapped cache from short UTF-8 byte strings to what they decode to. Map keys such as
     * "name" repeat millions of times in a trace, and so do many short values ("True", "TCP", ...); both
     * Strings and TextNodes are immutable, so one instance can stand for every occurrence. A string is
     * held as its length and its first and last eight bytes (which is all of it up to 16 bytes), so most
     * lookups compare three numbers; longer strings also compare their bytes.
     */
    private static final class BytesCache<T> {
        private final int maxLen;
        private final int mask;
        private final int[] lens;
        private final long[] firsts;
        private final long[] lasts;
        private final byte[][] longer;
        private final Object[] values;
        // The words of the string last looked up, reused by put after a miss.
        private long first;
        private long last;
        private int slot;

        BytesCache(int slots, int maxLen) {
            this.maxLen = maxLen;
            this.mask = slots - 1;
            lens = new int[slots];
            firsts = new long[slots];
            lasts = new long[slots];
            longer = new byte[slots][];
            values = new Object[slots];
        }

        @SuppressWarnings("unchecked")
        T get(byte[] b, int off, int len) {
            long f;
            long l;
            if (len >= 8) {
                f = (long) LONGS.get(b, off);
                l = (long) LONGS.get(b, off + len - 8);
            } else {
                l = 0;
                if (off + 8 <= b.length) {
                    f = (long) LONGS.get(b, off) & ((1L << (len << 3)) - 1);
                } else {
                    f = 0;
                    for (int i = len - 1; i >= 0; i--) {
                        f = f << 8 | (b[off + i] & 0xff);
                    }
                }
            }
            long h = (f * 0x9E3779B97F4A7C15L ^ l ^ len) * 0xC2B2AE3D27D4EB4FL;
            int s = (int) (h ^ h >>> 29 ^ h >>> 41) & mask;
            first = f;
            last = l;
            slot = s;
            Object v = values[s];
            if (v != null && lens[s] == len && firsts[s] == f && lasts[s] == l
                    && (len <= 16 || Arrays.equals(longer[s], 0, len, b, off, off + len))) {
                return (T) v;
            }
            return null;
        }

        /** Stores what the last {@link #get} missed. */
        void put(byte[] b, int off, int len, T value) {
            int s = slot;
            lens[s] = len;
            firsts[s] = first;
            lasts[s] = last;
            longer[s] = len > 16 ? Arrays.copyOfRange(b, off, off + len) : null;
            values[s] = value;
        }

        int maxLen() {
            return maxLen;
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
}
