package dev.skci.trace.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** CompactObjectMap must behave exactly like the LinkedHashMap Jackson would otherwise use. */
class CompactObjectMapTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void behavesLikeALinkedHashMapUnderRandomOperations() {
        Random rnd = new Random(7);
        for (int round = 0; round < 200; round++) {
            Map<String, JsonNode> expected = new LinkedHashMap<>();
            Map<String, JsonNode> actual = new CompactObjectMap(rnd.nextInt(4));
            for (int op = 0; op < 200; op++) {
                String k = "k" + rnd.nextInt(24);
                JsonNode v = F.numberNode(rnd.nextInt(5));
                switch (rnd.nextInt(7)) {
                    case 0, 1, 2 -> assertEquals(expected.put(k, v), actual.put(k, v));
                    case 3 -> assertEquals(expected.remove(k), actual.remove(k));
                    case 4 -> {
                        // remove through the entry iterator, and write through an entry
                        Iterator<Map.Entry<String, JsonNode>> a = actual.entrySet().iterator();
                        Iterator<Map.Entry<String, JsonNode>> e = expected.entrySet().iterator();
                        while (e.hasNext()) {
                            Map.Entry<String, JsonNode> ee = e.next();
                            Map.Entry<String, JsonNode> ae = a.next();
                            assertEquals(ee, ae);
                            if (ee.getKey().equals(k)) {
                                e.remove();
                                a.remove();
                            } else if (ee.getValue().intValue() == 0) {
                                ee.setValue(v);
                                ae.setValue(v);
                            }
                        }
                    }
                    case 5 -> assertEquals(expected.get(k), actual.get(k));
                    default -> {
                        if (rnd.nextInt(20) == 0) {
                            expected.clear();
                            actual.clear();
                        }
                    }
                }
                assertEquals(expected, actual);
                assertEquals(actual, expected);
                assertEquals(expected.hashCode(), actual.hashCode());
                assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()));
                assertEquals(new ArrayList<>(expected.values()), new ArrayList<>(actual.values()));
                assertEquals(expected.toString(), actual.toString());
            }
        }
    }

    @Test
    void worksInsideAnObjectNode() {
        ObjectNode a = new ObjectNode(F, new CompactObjectMap(2));
        a.put("b", 1).put("a", "x").putObject("c").put("d", true);
        ObjectNode b = F.objectNode();
        b.put("b", 1).put("a", "x").putObject("c").put("d", true);
        assertEquals(b, a);
        assertEquals(a, b);
        assertEquals(b.toString(), a.toString());
        a.remove("b");
        a.retain(List.of("c"));
        assertEquals("{\"c\":{\"d\":true}}", a.toString());
        assertEquals(a, a.deepCopy());
    }

    @Test
    void iteratorsFailFast() {
        Map<String, JsonNode> m = new CompactObjectMap(2);
        m.put("a", F.nullNode());
        m.put("b", F.nullNode());
        Iterator<String> it = m.keySet().iterator();
        it.next();
        m.put("c", F.nullNode());
        assertThrows(ConcurrentModificationException.class, it::next);
    }
}
