package dev.skci.trace.hash;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * SimKube's hash of a JSON value ({@code sk-core/src/jsonutils.rs}): a walk that feeds SipHash-1-3
 * with 8 zero bytes for null, one byte for a bool, 8 little-endian bytes for numbers, UTF-8 plus 0xFF
 * for strings, and nothing for array or object boundaries; object keys in UTF-8 byte order.
 */
public final class JsonHash {
    private JsonHash() {}

    /** The hash of JSON null: what a missing {@code spec} hashes to. */
    public static final long NULL = hash(null);

    /** Hashes a value; a Java null (missing) hashes like JSON null. */
    public static long hash(JsonNode value) {
        SipHash13 h = new SipHash13();
        walk(h, value);
        return h.finish();
    }

    static void walk(SipHash13 h, JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            h.writeLong(0);
            return;
        }
        switch (n.getNodeType()) {
            case BOOLEAN -> h.write((byte) (n.booleanValue() ? 1 : 0));
            case NUMBER -> {
                if (n.isIntegralNumber()) {
                    // Non-negative values go in as u64 and negative ones as i64: the same 8 bytes either way.
                    h.writeLong(n.canConvertToLong() ? n.longValue() : n.bigIntegerValue().longValue());
                } else {
                    double d = n.doubleValue();
                    h.writeLong(Double.doubleToLongBits(d == 0.0 ? 0.0 : d)); // -0.0 hashes as +0.0
                }
            }
            case STRING -> string(h, n.textValue());
            case ARRAY -> {
                for (JsonNode e : n) {
                    walk(h, e);
                }
            }
            case OBJECT -> {
                List<Map.Entry<byte[], JsonNode>> entries = new ArrayList<>(n.size());
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    entries.add(Map.entry(e.getKey().getBytes(StandardCharsets.UTF_8), e.getValue()));
                }
                entries.sort((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()));
                for (Map.Entry<byte[], JsonNode> e : entries) {
                    h.write(e.getKey());
                    h.write((byte) 0xff);
                    walk(h, e.getValue());
                }
            }
            default -> throw new IllegalArgumentException("cannot hash a " + n.getNodeType() + " node");
        }
    }

    private static void string(SipHash13 h, String s) {
        h.write(s.getBytes(StandardCharsets.UTF_8));
        h.write((byte) 0xff);
    }
}
