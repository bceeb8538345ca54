package dev.skci.trace.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/** The buffer-level msgpack reader: every encoding, buffer boundaries, caches, UTF-8 and limits. */
class MsgpackInputTest {

    private static final JsonNodeFactory F = JsonNodeFactory.withExactBigDecimals(false);

    private static byte[] encode(JsonNode n) throws IOException {
        Msgpack.init();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessagePacker p = Msgpack.packer(out);
        TraceWriter.value(p, n);
        p.flush();
        return out.toByteArray();
    }

    private static JsonNode decode(byte[] b) throws IOException {
        try (MsgpackInput in = new MsgpackInput(TraceSource.of("t", b), 0)) {
            JsonNode n = in.value();
            assertTrue(!in.hasNext(), "decoded everything");
            return n;
        }
    }

    private static String randomString(Random rnd) {
        int len = switch (rnd.nextInt(10)) {
            case 0 -> rnd.nextInt(300);
            case 1 -> 70_000 + rnd.nextInt(1000); // longer than the reader's buffer
            default -> rnd.nextInt(30);
        };
        if (len > 1000 && rnd.nextInt(3) != 0) {
            len = rnd.nextInt(50);
        }
        StringBuilder b = new StringBuilder(len);
        int[] alphabet = (rnd.nextInt(4) == 0 ? "aé€😀\uFFFDz" : "abcdefghijklmnopqrstuvwxyz-./0123456789").codePoints().toArray();
        for (int i = 0; i < len; i++) {
            b.appendCodePoint(alphabet[rnd.nextInt(alphabet.length)]);
        }
        return b.toString();
    }

    private static JsonNode randomValue(Random rnd, int depth) {
        int kind = rnd.nextInt(depth > 4 ? 7 : 10);
        return switch (kind) {
            case 0 -> F.nullNode();
            case 1 -> F.booleanNode(rnd.nextBoolean());
            case 2 -> F.numberNode(rnd.nextInt(300) - 40);
            case 3 -> {
                long v = rnd.nextLong() >> rnd.nextInt(64);
                yield v == (int) v ? F.numberNode((int) v) : F.numberNode(v);
            }
            case 4 -> rnd.nextBoolean() ? F.numberNode(rnd.nextDouble() * 1e6) : F.numberNode((double) rnd.nextInt(5));
            case 5 -> F.numberNode(new BigInteger(64, rnd).setBit(63));
            case 6 -> F.textNode(randomString(rnd));
            case 7, 8 -> {
                ObjectNode o = F.objectNode();
                int n = rnd.nextInt(4) == 0 ? 17 + rnd.nextInt(30) : rnd.nextInt(8);
                for (int i = 0; i < n; i++) {
                    o.set(rnd.nextInt(3) == 0 ? randomString(rnd) : "k" + rnd.nextInt(40), randomValue(rnd, depth + 1));
                }
                yield o;
            }
            default -> {
                ArrayNode a = F.arrayNode();
                int n = rnd.nextInt(12);
                for (int i = 0; i < n; i++) {
                    a.add(randomValue(rnd, depth + 1));
                }
                yield a;
            }
        };
    }

    @Test
    void randomTreesDecodeToWhatWasEncoded() throws IOException {
        Random rnd = new Random(1234);
        for (int i = 0; i < 200; i++) {
            ObjectNode root = F.objectNode();
            for (int k = 0; k < 5; k++) {
                root.set("f" + k, randomValue(rnd, 0));
            }
            byte[] bytes = encode(root);
            JsonNode back = decode(bytes);
            String diff = firstDifference(root, back, "");
            assertEquals(null, diff, "tree " + i);
            assertArrayEquals(bytes, encode(back));
        }
    }

    private static String firstDifference(JsonNode a, JsonNode b, String at) {
        if (a.getNodeType() != b.getNodeType() || a.size() != b.size()) {
            return at + ": " + abbreviate(a) + " vs " + abbreviate(b);
        }
        if (a.isObject()) {
            var ia = a.properties().iterator();
            var ib = b.properties().iterator();
            while (ia.hasNext()) {
                var ea = ia.next();
                var eb = ib.next();
                if (!ea.getKey().equals(eb.getKey())) {
                    return at + ": key " + abbreviate(F.textNode(ea.getKey())) + " vs " + abbreviate(F.textNode(eb.getKey()));
                }
                String d = firstDifference(ea.getValue(), eb.getValue(), at + "/" + ea.getKey().substring(0, Math.min(10, ea.getKey().length())));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a.isArray()) {
            for (int i = 0; i < a.size(); i++) {
                String d = firstDifference(a.get(i), b.get(i), at + "/" + i);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return a.equals(b) ? null : at + ": " + abbreviate(a) + " (" + a.numberType() + ") vs " + abbreviate(b) + " (" + b.numberType() + ")";
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 60 ? s.substring(0, 60) + "...(" + s.length() + ")" : s;
    }

    @Test
    void everyIntegerAndFloatEncoding() throws IOException {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packArrayHeader(14);
            p.packByte((byte) -32).packByte((byte) -33).packShort((short) -300).packInt(-70_000).packLong(-5_000_000_000L);
            p.packLong(200).packLong(60_000).packLong(4_000_000_000L).packLong(Long.MAX_VALUE);
            p.packBigInteger(new BigInteger("18446744073709551615"));
            p.packFloat(1.5f).packDouble(-0.0).packDouble(Double.NaN).packNil();
            JsonNode a = decode(p.toByteArray());
            assertEquals("[-32,-33,-300,-70000,-5000000000,200,60000,4000000000,9223372036854775807,"
                    + "18446744073709551615,1.5,-0.0,null,null]", a.toString());
            assertTrue(a.get(10).isDouble());
            assertTrue(a.get(7).isLong());
            assertTrue(a.get(9).isBigInteger());
        }
    }

    @Test
    void duplicateKeysKeepTheLastValueLikeAnyMap() throws IOException {
        for (int n : new int[] {3, 20}) {
            try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
                p.packMapHeader(n);
                for (int i = 0; i < n - 1; i++) {
                    p.packString("k" + i).packInt(i);
                }
                p.packString("k0").packInt(99);
                JsonNode o = decode(p.toByteArray());
                assertEquals(n - 1, o.size());
                assertEquals(99, o.get("k0").intValue());
            }
        }
    }

    @Test
    void utf8IsCheckedButARealReplacementCharacterIsFine() throws IOException {
        byte[] bad = {(byte) 0xa3, (byte) 0xe2, (byte) 0x82, 0x41};
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> decode(bad));
        assertEquals("t: byte 0: a string is not valid UTF-8", e.getMessage());
        byte[] fffd = {(byte) 0xa3, (byte) 0xef, (byte) 0xbf, (byte) 0xbd};
        assertEquals("\uFFFD", decode(fffd).textValue());
    }

    private static void refused(byte[] bytes, String expected) {
        String m = assertThrows(TraceFormatException.class, () -> decode(bytes)).getMessage();
        assertTrue(m.contains(expected), m);
    }

    @Test
    void limitsAndInvalidBytes() {
        byte[] deep = new byte[MsgpackInput.MAX_DEPTH + 1];
        java.util.Arrays.fill(deep, (byte) 0x91);
        refused(deep, "nest deeper than 512");
        refused(new byte[] {(byte) 0xc1}, "0xc1");
        refused(new byte[] {(byte) 0xc4, 1, 0}, "bin value");
        refused(new byte[] {(byte) 0xd4, 1, 0}, "ext value");
        refused(new byte[] {(byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, 0}, "claims 2147483392 elements but only 0 bytes follow");
        refused(new byte[] {(byte) 0xdf, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf0}, "claims 4294967280 entries");
        refused(new byte[] {(byte) 0xa5, 'a', 'b'}, "truncated");
    }

}
