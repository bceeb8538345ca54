package dev.skci.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.SkciException;
import io.fabric8.kubernetes.api.model.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Production nodes (EKS- and GKE-like {@code kubectl get nodes -o json}) into pools. */
class NodeImportTest {
    private static Path resource(String name) throws Exception {
        return Path.of(NodeImportTest.class.getResource("/dev/skci/nodes/" + name).toURI());
    }

    private static PoolSpec pool(List<PoolSpec> pools, String name) {
        return pools.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no pool " + name + " in " + pools.stream().map(PoolSpec::name).toList()));
    }

    @Test
    void eksNodesGroupIntoTheirNodeGroupsAndKarpenterPool() throws Exception {
        NodeImport.Result r = NodeImport.fromNodes(NodeImport.read(resource("eks-nodes.json")));
        assertEquals(11, r.nodes());
        assertEquals(List.of("general", "gpu", "spot"), r.pools().stream().map(PoolSpec::name).toList());

        // Six m5.2xlarge over three zones, one cordoned and one unreachable: one pool, the control plane's taints gone,
        // memory that differs by 24Ki counted as one shape with the smaller value.
        PoolSpec general = pool(r.pools(), "general");
        assertEquals(6, general.count());
        assertEquals(List.of("us-east-1a", "us-east-1b", "us-east-1c"), general.zones());
        assertEquals(List.of(), general.taints());
        assertEquals("32386520Ki", general.capacity().get("memory"));
        assertEquals("7910m", general.allocatable().get("cpu"));
        assertEquals("m5.2xlarge", general.labels().get("node.kubernetes.io/instance-type"));
        assertEquals("general", general.labels().get("eks.amazonaws.com/nodegroup"));
        assertEquals("platform", general.labels().get("team"), "the team's own scheduling label is kept");
        for (String gone : List.of("kubernetes.io/hostname", "alpha.eksctl.io/instance-id", "topology.kubernetes.io/zone",
                "topology.k8s.aws/zone-id", "failure-domain.beta.kubernetes.io/zone", "topology.ebs.csi.aws.com/zone")) {
            assertFalse(general.labels().containsKey(gone), gone);
        }
        assertFalse(general.capacity().containsKey("hugepages-1Gi"), "empty hugepages are left out");

        PoolSpec gpu = pool(r.pools(), "gpu");
        assertEquals(2, gpu.count());
        assertEquals("1", gpu.capacity().get("nvidia.com/gpu"));
        assertEquals("1", gpu.allocatable().get("nvidia.com/gpu"));
        assertEquals(List.of(new PoolSpec.TaintSpec("nvidia.com/gpu", "true", "NoSchedule")), gpu.taints());
        assertEquals(List.of("us-east-1a"), gpu.zones());

        // Two in b and one in c spread round-robin as b, c, b: the fuller zone comes first.
        PoolSpec spot = pool(r.pools(), "spot");
        assertEquals(3, spot.count());
        assertEquals(List.of("us-east-1b", "us-east-1c"), spot.zones());
        assertEquals(List.of(new PoolSpec.TaintSpec("spot", "true", "PreferNoSchedule")), spot.taints(), "karpenter.sh/disrupted is dropped");
        assertEquals("spot", spot.labels().get("karpenter.sh/capacity-type"));
        assertFalse(spot.labels().containsKey("karpenter.sh/registered"));

        assertTrue(r.droppedLabels().containsKey("alpha.eksctl.io/instance-id"), r.droppedLabels().toString());
        assertTrue(r.droppedLabels().containsKey("topology.k8s.aws/zone-id"), r.droppedLabels().toString());
        Pools.check(r.pools());
    }

    @Test
    void unevenZonesBecomeOnePoolPerZone() throws Exception {
        NodeImport.Result r = NodeImport.fromNodes(NodeImport.read(resource("gke-nodes.json")));
        assertEquals(List.of("default-pool-europe-west1-b", "default-pool-europe-west1-c", "highmem"),
                r.pools().stream().map(PoolSpec::name).toList());
        assertEquals(3, pool(r.pools(), "default-pool-europe-west1-b").count());
        assertEquals(List.of("europe-west1-b"), pool(r.pools(), "default-pool-europe-west1-b").zones());
        PoolSpec highmem = pool(r.pools(), "highmem");
        assertEquals(List.of("europe-west1-b", "europe-west1-c", "europe-west1-d"), highmem.zones());
        assertFalse(highmem.capacity().containsKey("attachable-volumes-gce-pd"), "volume limits are not scheduling resources");
        assertEquals("highmem", highmem.labels().get("cloud.google.com/gke-nodepool"));
        assertFalse(highmem.labels().containsKey("topology.gke.io/zone"));
        Pools.check(r.pools());
    }

    @Test
    void theImportedPoolsMakeNodesWithTheProductionLabelsAndCapacity() throws Exception {
        List<PoolSpec> pools = NodeImport.fromNodes(NodeImport.read(resource("eks-nodes.json"))).pools();
        List<Node> nodes = NodePool.virtualNodes(pools);
        assertEquals(11, nodes.size());
        Node gpu = nodes.stream().filter(n -> n.getMetadata().getName().equals("skci-virtual-gpu-0")).findFirst().orElseThrow();
        Map<String, String> labels = gpu.getMetadata().getLabels();
        assertEquals("g5.xlarge", labels.get("node.kubernetes.io/instance-type"));
        assertEquals("us-east-1a", labels.get("topology.kubernetes.io/zone"));
        assertEquals("virtual", labels.get("type"), "skci's marker is added");
        assertEquals("gpu", labels.get("skci.dev/pool"));
        assertEquals(List.of("kwok-provider", "nvidia.com/gpu"), gpu.getSpec().getTaints().stream().map(t -> t.getKey()).toList());
        assertEquals("1", gpu.getStatus().getAllocatable().get("nvidia.com/gpu").toString());
    }

    @Test
    void aKeptClustersOwnNodesImportAsTheirPools() {
        List<PoolSpec> given = List.of(PoolSpec.quick(4, ClusterSpec.NodeShape.DEFAULT),
                new PoolSpec("gpu", 2, Map.of("cpu", "4", "memory", "16Gi", "nvidia.com/gpu", "1"), Map.of(), Map.of("accel", "a10"),
                        List.of(new PoolSpec.TaintSpec("nvidia.com/gpu", null, "NoSchedule")), List.of()));
        List<PoolSpec> back = NodeImport.fromNodes(NodePool.virtualNodes(given)).pools();
        assertEquals(List.of("default", "gpu"), back.stream().map(PoolSpec::name).toList());
        assertEquals(4, back.get(0).count());
        assertEquals(PoolSpec.DEFAULT_ZONES, back.get(0).zones());
        assertEquals(NodePool.virtualNodes(given).stream().map(n -> n.getMetadata().getLabels()).toList(),
                NodePool.virtualNodes(back).stream().map(n -> n.getMetadata().getLabels()).toList(), "the same nodes again");
    }

    @Test
    void notANodeListIsInvalidInputNamingTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("pods.json");
        Files.writeString(f, "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"x\"}}");
        SkciException e = assertThrows(SkciException.class, () -> NodeImport.read(f));
        assertEquals(SkciException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains("kubectl get nodes -o json"), e.getMessage());
    }
}
