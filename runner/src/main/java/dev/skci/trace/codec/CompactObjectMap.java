package dev.skci.trace.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The children of a small decoded JSON object, for Jackson's {@code ObjectNode}: keys and values in two
 * arrays, in insertion order, looked up by a linear scan. Kubernetes objects are made of thousands of
 * maps with a handful of entries each; a {@code LinkedHashMap} spends an entry object and a hash table
 * on each of them (three quarters of all memory allocated while decoding a trace, in profiles), this
 * spends two exactly-sized arrays. It is a complete, mutable {@link Map}: code that edits a decoded
 * object sees no difference, except that lookups in a map that has grown large are linear.
 */
final class CompactObjectMap extends AbstractMap<String, JsonNode> {
    private String[] keys;
    private JsonNode[] values;
    private int size;
    private int modCount;

    CompactObjectMap(int capacity) {
        keys = new String[capacity];
        values = new JsonNode[capacity];
    }

    private int indexOf(Object key) {
        if (!(key instanceof String k)) {
            return -1;
        }
        // Decoded keys are mostly shared String instances with cached hash codes, so this is cheap.
        int h = k.hashCode();
        String[] ks = keys;
        for (int i = 0; i < size; i++) {
            String c = ks[i];
            if (c == k || (c.hashCode() == h && c.equals(k))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public JsonNode get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public JsonNode put(String key, JsonNode value) {
        int i = indexOf(key);
        if (i >= 0) {
            JsonNode old = values[i];
            values[i] = value;
            return old;
        }
        if (size == keys.length) {
            int cap = Math.max(4, size * 2);
            keys = Arrays.copyOf(keys, cap);
            values = Arrays.copyOf(values, cap);
        }
        keys[size] = key;
        values[size] = value;
        size++;
        modCount++;
        return null;
    }

    @Override
    public JsonNode remove(Object key) {
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        JsonNode old = values[i];
        removeAt(i);
        return old;
    }

    private void removeAt(int i) {
        int tail = size - i - 1;
        System.arraycopy(keys, i + 1, keys, i, tail);
        System.arraycopy(values, i + 1, values, i, tail);
        size--;
        keys[size] = null;
        values[size] = null;
        modCount++;
    }

    @Override
    public void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
        modCount++;
    }

    @Override
    public Set<Map.Entry<String, JsonNode>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Map.Entry<String, JsonNode>> iterator() {
                return new Iterator<>() {
                    private int next;
                    private int last = -1;
                    private int expected = modCount;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Map.Entry<String, JsonNode> next() {
                        if (expected != modCount) {
                            throw new ConcurrentModificationException();
                        }
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        last = next++;
                        return new Entry(last);
                    }

                    @Override
                    public void remove() {
                        if (last < 0) {
                            throw new IllegalStateException();
                        }
                        if (expected != modCount) {
                            throw new ConcurrentModificationException();
                        }
                        removeAt(last);
                        next = last;
                        last = -1;
                        expected = modCount;
                    }
                };
            }
        };
    }

    /** A live view of one slot: setValue writes through, as Map.Entry allows. */
    private final class Entry implements Map.Entry<String, JsonNode> {
        private final int i;
        private final String key;

        Entry(int i) {
            this.i = i;
            this.key = keys[i];
        }

        @Override
        public String getKey() {
            return key;
        }

        @Override
        public JsonNode getValue() {
            return i < size && keys[i] == key ? values[i] : get(key);
        }

        @Override
        public JsonNode setValue(JsonNode value) {
            return put(key, value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && Objects.equals(key, e.getKey()) && Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(key) ^ Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return key + "=" + getValue();
        }
    }
}
