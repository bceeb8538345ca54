package dev.skci.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.cluster.local.LocalCluster;
import dev.skci.testing.ClusterTest;
import dev.skci.testing.SharedCluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bootstrap converges: a second run changes nothing, a different spec is applied, drift is repaired. */
@ClusterTest
class BootstrapTest {

    @Test
    void runningTwiceChangesNothing(LocalCluster cluster, SharedCluster shared) {
        KubernetesClient client = cluster.client();
        List<String> before = uids(client);

        Bootstrap.Result again = new Bootstrap(client).run(shared.spec());

        assertEquals(List.of(), again.createdNodes());
        assertEquals(List.of(), again.removedNodes());
        assertEquals(List.of(), again.foreignStages());
        assertEquals(List.of("skci-node-initialize", "skci-node-heartbeat", "skci-pod-start", "skci-pod-create", "skci-pod-ready",
                "skci-pod-complete", "skci-pod-delete"), again.stages());
        assertEquals(before, uids(client), "no node was recreated");
    }

    @Test
    void aLargerSpecAddsNodesAndTheOriginalSpecRemovesThemAgain(LocalCluster cluster, SharedCluster shared) {
        KubernetesClient client = cluster.client();
        ClusterSpec bigger = new ClusterSpec(shared.spec().name(), SharedCluster.NODES + 2, SharedCluster.SHAPE);
        try {
            Bootstrap.Result grown = new Bootstrap(client).run(bigger);
            assertEquals(List.of(NodePool.virtualNodeName(3), NodePool.virtualNodeName(4)), grown.createdNodes());
            assertTrue(io.fabric8.kubernetes.client.readiness.Readiness.isNodeReady(client.nodes().withName(NodePool.virtualNodeName(4)).get()));
        } finally {
            Bootstrap.Result shrunk = new Bootstrap(client).run(shared.spec());
            assertEquals(List.of(NodePool.virtualNodeName(3), NodePool.virtualNodeName(4)), shrunk.removedNodes());
        }
        assertEquals(SharedCluster.NODES, client.nodes().withLabel(SimNames.LABEL_NODE_TYPE, SimNames.NODE_TYPE_VIRTUAL).list().getItems().size());
    }

    @Test
    void driftOnANodeIsRepaired(LocalCluster cluster, SharedCluster shared) {
        KubernetesClient client = cluster.client();
        String name = NodePool.virtualNodeName(0);
        client.nodes().withName(name).edit(n -> {
            n.getMetadata().getLabels().remove(SimNames.LABEL_NODE_TYPE);
            n.getSpec().setTaints(List.of());
            return n;
        });
        client.nodes().withName(name).editStatus(n -> {
            n.getStatus().getAllocatable().put("pods", new Quantity("1"));
            return n;
        });

        new Bootstrap(client).run(shared.spec());

        Node repaired = client.nodes().withName(name).get();
        assertEquals(SimNames.NODE_TYPE_VIRTUAL, repaired.getMetadata().getLabels().get(SimNames.LABEL_NODE_TYPE));
        assertEquals(SimNames.TAINT_KWOK_PROVIDER, repaired.getSpec().getTaints().getFirst().getKey());
        assertEquals(new Quantity(Integer.toString(SharedCluster.SHAPE.pods())), repaired.getStatus().getAllocatable().get("pods"));
    }

    @Test
    void aDecoyWithoutKwoksAnnotationGetsIt(LocalCluster cluster, SharedCluster shared) {
        KubernetesClient client = cluster.client();
        // What an older runner made: a stock KWOK (kind, existing clusters) ignores such a node, so it never turns Ready.
        client.nodes().withName(NodePool.DECOY_NODE_NAME).edit(n -> {
            n.getMetadata().getAnnotations().remove(SimNames.ANNOTATION_KWOK_NODE);
            return n;
        });
        assertEquals(null, client.nodes().withName(NodePool.DECOY_NODE_NAME).get().getMetadata().getAnnotations()
                .get(SimNames.ANNOTATION_KWOK_NODE));

        Bootstrap.Result again = new Bootstrap(client).run(shared.spec());

        assertEquals(List.of(), again.createdNodes(), "repaired in place, not recreated");
        assertEquals(SimNames.KWOK_NODE_FAKE, client.nodes().withName(NodePool.DECOY_NODE_NAME).get().getMetadata()
                .getAnnotations().get(SimNames.ANNOTATION_KWOK_NODE));
    }

    @Test
    void theDecoyCarriesKwoksNodeAnnotation() {
        Node decoy = NodePool.decoyNode(List.of(PoolSpec.quick(3, SharedCluster.SHAPE)));
        assertEquals(SimNames.KWOK_NODE_FAKE, decoy.getMetadata().getAnnotations().get(SimNames.ANNOTATION_KWOK_NODE));
    }

    private static List<String> uids(KubernetesClient client) {
        return client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName() + "/" + n.getMetadata().getUid()).sorted().toList();
    }
}
