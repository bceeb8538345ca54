package dev.skci.override;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' strategic merge patch, applied on the client (nothing in fabric8 or on Maven Central does it
 * in Java): maps merge key by key and {@code null} removes a key, lists that {@link MergeKeys} knows merge
 * item by item on their key (new items are appended), every other list is replaced. The directives
 * {@code $patch: replace}, {@code $patch: delete} (in a map or a list item), {@code $retainKeys} and
 * {@code $deleteFromPrimitiveList/<list>} work as in kubectl; {@code $setElementOrder/<list>} is accepted
 * and ignored (it only orders a list). What it does not do: {@code retainKeys} without the directive
 * (volumes whose source changes keep the old source key), and types it does not know (their lists are
 * replaced, as the API server does for custom resources).
 */
public final class StrategicMerge {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String PATCH = "$patch";
    private static final String RETAIN_KEYS = "$retainKeys";
    private static final String DELETE_FROM = "$deleteFromPrimitiveList/";
    private static final String ELEMENT_ORDER = "$setElementOrder/";

    private StrategicMerge() {}

    /** A patch that cannot be applied: a bad directive, or a merging list item without its key. */
    public static final class PatchException extends IllegalArgumentException {
        PatchException(String message) {
            super(message);
        }
    }

    /** {@code original} with {@code patch} merged in (a new tree; the arguments are not changed). */
    public static ObjectNode apply(ObjectNode original, ObjectNode patch, MergeKeys.Type type) {
        ObjectNode out = mergeMap(original.deepCopy(), patch, type, "");
        return out == null ? NODES.objectNode() : out;
    }

    /** Merges {@code patch} into {@code orig} in place; null when the patch deletes the map. */
    private static ObjectNode mergeMap(ObjectNode orig, ObjectNode patch, MergeKeys.Type type, String at) {
        JsonNode directive = patch.get(PATCH);
        if (directive != null) {
            switch (directive.asText()) {
                case "replace" -> {
                    return stripped(patch);
                }
                case "delete" -> {
                    return null;
                }
                case "merge" -> { }
                default -> throw new PatchException(where(at) + "unknown $patch directive '" + directive.asText()
                        + "' (replace, delete or merge)");
            }
        }
        if (patch.get(RETAIN_KEYS) instanceof ArrayNode keep) {
            Set<String> kept = new HashSet<>();
            keep.forEach(k -> kept.add(k.asText()));
            List<String> names = new ArrayList<>();
            orig.fieldNames().forEachRemaining(names::add);
            names.stream().filter(n -> !kept.contains(n)).forEach(orig::remove);
        } else if (patch.has(RETAIN_KEYS)) {
            throw new PatchException(where(at) + "$retainKeys must be a list of field names");
        }
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String key = e.getKey();
            if (key.startsWith(DELETE_FROM)) {
                deleteFromPrimitiveList(orig, key.substring(DELETE_FROM.length()), e.getValue(), at);
            }
        }
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (key.startsWith("$")) {
                if (!key.equals(PATCH) && !key.equals(RETAIN_KEYS) && !key.startsWith(DELETE_FROM) && !key.startsWith(ELEMENT_ORDER)) {
                    throw new PatchException(where(at) + "unknown directive '" + key + "'");
                }
                continue;
            }
            String here = at + "/" + key;
            JsonNode current = orig.get(key);
            if (value.isNull()) {
                orig.remove(key);
            } else if (value instanceof ObjectNode po) {
                if (current instanceof ObjectNode co) {
                    ObjectNode merged = mergeMap(co, po, type.child(key), here);
                    if (merged == null) {
                        orig.remove(key);
                    } else {
                        orig.set(key, merged);
                    }
                } else if ("delete".equals(po.path(PATCH).asText())) {
                    orig.remove(key);
                } else {
                    orig.set(key, stripped(po));
                }
            } else if (value instanceof ArrayNode pa) {
                MergeKeys.ListRule rule = type.listRule(key);
                if (rule == null) {
                    orig.set(key, strippedList(pa));
                } else {
                    orig.set(key, mergeList(current instanceof ArrayNode ca ? ca : NODES.arrayNode(), pa, rule, here));
                }
            } else {
                orig.set(key, value.deepCopy());
            }
        }
        return orig;
    }

    private static ArrayNode mergeList(ArrayNode orig, ArrayNode patch, MergeKeys.ListRule rule, String at) {
        if (rule.key() == null) {
            // A set of scalars (finalizers): what the patch adds is appended once.
            ArrayNode out = orig.deepCopy();
            for (JsonNode v : patch) {
                if (v.isContainerNode()) {
                    throw new PatchException(where(at) + "this list holds plain values, not objects");
                }
                boolean present = false;
                for (JsonNode o : out) {
                    present |= o.equals(v);
                }
                if (!present) {
                    out.add(v.deepCopy());
                }
            }
            return out;
        }
        List<ObjectNode> items = new ArrayList<>();
        for (JsonNode p : patch) {
            if (!(p instanceof ObjectNode po)) {
                throw new PatchException(where(at) + "items of this list are objects merged by '" + rule.key() + "'");
            }
            if ("replace".equals(po.path(PATCH).asText())) {
                ArrayNode out = NODES.arrayNode();
                for (JsonNode q : patch) {
                    if (!"replace".equals(q.path(PATCH).asText())) {
                        out.add(stripped((ObjectNode) q));
                    }
                }
                return out;
            }
            items.add(po);
        }
        ArrayNode out = orig.deepCopy();
        for (ObjectNode p : items) {
            JsonNode key = p.get(rule.key());
            if (key == null || key.isNull()) {
                throw new PatchException(where(at) + "an item has no '" + rule.key() + "', the key this list merges by");
            }
            int i = indexOf(out, rule.key(), key);
            String here = at + "[" + rule.key() + "=" + key.asText() + "]";
            if ("delete".equals(p.path(PATCH).asText())) {
                if (i >= 0) {
                    out.remove(i);
                }
            } else if (i >= 0 && out.get(i) instanceof ObjectNode existing) {
                ObjectNode merged = mergeMap(existing, p, rule.item(), here);
                if (merged == null) {
                    out.remove(i);
                } else {
                    out.set(i, merged);
                }
            } else {
                out.add(stripped(p));
            }
        }
        return out;
    }

    private static void deleteFromPrimitiveList(ObjectNode orig, String field, JsonNode values, String at) {
        if (!(values instanceof ArrayNode remove)) {
            throw new PatchException(where(at) + DELETE_FROM + field + " must be a list");
        }
        if (orig.get(field) instanceof ArrayNode list) {
            for (Iterator<JsonNode> it = list.elements(); it.hasNext(); ) {
                JsonNode v = it.next();
                for (JsonNode r : remove) {
                    if (r.equals(v)) {
                        it.remove();
                        break;
                    }
                }
            }
        }
    }

    private static int indexOf(ArrayNode list, String key, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            if (value.equals(list.get(i).get(key)) || value.asText().equals(list.get(i).path(key).asText(null))) {
                return i;
            }
        }
        return -1;
    }

    /** A patch value without its directives, as it goes into the object when there is nothing to merge with. */
    static ObjectNode stripped(ObjectNode patch) {
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getKey().startsWith("$") || e.getValue().isNull()) {
                continue;
            }
            JsonNode v = e.getValue();
            out.set(e.getKey(), v instanceof ObjectNode o ? stripped(o) : v instanceof ArrayNode a ? strippedList(a) : v.deepCopy());
        }
        return out;
    }

    private static ArrayNode strippedList(ArrayNode list) {
        ArrayNode out = NODES.arrayNode();
        for (JsonNode v : list) {
            if (v instanceof ObjectNode o && o.has(PATCH)) {
                continue; // a directive item has nothing to merge with
            }
            out.add(v instanceof ObjectNode o ? stripped(o) : v.deepCopy());
        }
        return out;
    }

    private static String where(String at) {
        return at.isEmpty() ? "" : at + ": ";
    }
}
