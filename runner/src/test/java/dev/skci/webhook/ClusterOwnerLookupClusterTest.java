package dev.skci.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.testing.ClusterTest;
import dev.skci.testing.Poll;
import dev.skci.testing.TestNamespace;
import dev.skci.trace.Gvk;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Owner lookups by UID against the real API server: found before the cache has it, gone once deleted, not confused by a newer namesake. */
@ClusterTest
class ClusterOwnerLookupClusterTest {
    private static final Gvk RS = new Gvk("apps", "v1", "ReplicaSet");

    private static ReplicaSet replicaSet(String name) {
        return new ReplicaSetBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate()
                .endSpec().build();
    }

    @Test
    void anOwnerIsFoundByUidAndAGoneOneIsToldFromANewerOneOfTheSameName(KubernetesClient client, TestNamespace ns) throws Exception {
        try (ClusterOwnerLookup lookup = new ClusterOwnerLookup(client, List.of(ns.name()))) {
            lookup.start(Duration.ofSeconds(30));
            // Created and looked up at once, as a ReplicaSet controller's first pod arrives: the cache may not have it yet.
            String first = client.apps().replicaSets().inNamespace(ns.name()).resource(replicaSet("svc-20-84d8665b96")).create()
                    .getMetadata().getUid();
            OwnerLookup.OwnerRef ref = new OwnerLookup.OwnerRef(RS, "svc-20-84d8665b96", first, true);
            assertInstanceOf(OwnerLookup.Found.class, lookup.find(ns.name(), ref));

            client.apps().replicaSets().inNamespace(ns.name()).withName("svc-20-84d8665b96").delete();
            Poll.until(Duration.ofSeconds(30), "the ReplicaSet to be gone",
                    () -> client.apps().replicaSets().inNamespace(ns.name()).withName("svc-20-84d8665b96").get() == null);
            // The API server has forgotten it; the informer learns so from its watch a moment later. Until then the
            // cache may still answer Found (harmless: an owner deleted a moment ago still owned the pod). What must
            // hold is that the lookup turns to Gone, benign and not an error, within a bound.
            OwnerLookup.Result gone = Poll.until(Duration.ofSeconds(10), "the lookup to tell the ReplicaSet is gone", () -> {
                OwnerLookup.Result r = lookup.find(ns.name(), ref);
                return r instanceof OwnerLookup.Gone ? r : null;
            });
            assertTrue(((OwnerLookup.Gone) gone).why().contains("was deleted"), gone.toString());

            // The trace applies the Deployment again: a ReplicaSet of the same name, but not the pod's owner.
            String second = client.apps().replicaSets().inNamespace(ns.name()).resource(replicaSet("svc-20-84d8665b96")).create()
                    .getMetadata().getUid();
            assertTrue(!second.equals(first));
            Poll.until(Duration.ofSeconds(30), "the cache to see the new one", () -> lookup.find(ns.name(),
                    new OwnerLookup.OwnerRef(RS, "svc-20-84d8665b96", second, true)) instanceof OwnerLookup.Found);
            assertInstanceOf(OwnerLookup.Gone.class, lookup.find(ns.name(), ref), "a namesake is not the owner");
        }
    }

    @Test
    void anOwnerNeverSeenIsAskedOfTheApiServer(KubernetesClient client, TestNamespace ns) throws Exception {
        try (ClusterOwnerLookup lookup = new ClusterOwnerLookup(client, List.of(ns.name()))) {
            lookup.start(Duration.ofSeconds(30));
            long t = System.nanoTime();
            OwnerLookup.Result r = lookup.find(ns.name(), new OwnerLookup.OwnerRef(RS, "never-there", "00000000-uid", true));
            assertInstanceOf(OwnerLookup.Gone.class, r);
            assertTrue(((OwnerLookup.Gone) r).why().contains("was not found"), r.toString());
            assertTrue((System.nanoTime() - t) / 1e6 < ClusterOwnerLookup.LOOKUP_BUDGET.toMillis() + 1000, "the wait is bounded");
            assertEquals(OwnerLookup.Gone.class, r.getClass());
        }
    }
}
