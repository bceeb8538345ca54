package dev.skci.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyOnlyStoreTest {

    private static Pod pod(String ns, String name, String rv) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withResourceVersion(rv).endMetadata()
                .withNewSpec().withNodeName("virtual-1").endSpec().build();
    }

    @Test
    void keepsKeyAndResourceVersionAndHandsBackTheOldOneOnUpdate() {
        var store = new KeyOnlyStore<>(Pod::new);
        Pod first = pod("ns-a", "web-1", "10");
        String key = store.getKey(first);
        assertEquals("ns-a/web-1", key);
        assertNull(store.put(key, first), "nothing was there before");
        Pod old = store.put(key, pod("ns-a", "web-1", "11"));
        assertEquals("10", old.getMetadata().getResourceVersion(), "the informer compares the old resourceVersion");
        Pod now = store.get(key);
        assertEquals("ns-a", now.getMetadata().getNamespace());
        assertEquals("web-1", now.getMetadata().getName());
        assertEquals("11", now.getMetadata().getResourceVersion());
        assertNull(now.getSpec(), "only the key is kept: a handler tells a relist's deletion by the missing spec");
        assertEquals(1, store.size());
    }

    @Test
    void removesAndListsWhatIsLeft() {
        var store = new KeyOnlyStore<>(Pod::new);
        for (String n : List.of("a", "b", "c")) {
            store.put("ns/" + n, pod("ns", n, "1"));
        }
        assertEquals("b", store.remove("ns/b").getMetadata().getName());
        assertNull(store.remove("ns/b"), "already gone");
        assertNull(store.get("ns/b"));
        assertEquals(List.of("ns/a", "ns/c"), store.keySet().sorted().toList());
        assertEquals(List.of("a", "c"), store.values().map(p -> p.getMetadata().getName()).sorted().toList());
        assertFalse(store.isFullState());
    }
}
