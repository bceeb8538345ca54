package dev.skci.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a pool may be, and the nodes it makes. */
class PoolsTest {
    private static PoolSpec pool(String name, int count, Map<String, String> labels) {
        return new PoolSpec(name, count, Map.of("cpu", "4", "memory", "16Gi"), Map.of(), labels, List.of(), List.of());
    }

    private static Pools.Invalid refused(PoolSpec... pools) {
        return assertThrows(Pools.Invalid.class, () -> Pools.check(List.of(pools)));
    }

    @Test
    void badPoolsNameTheFieldAndWhy() {
        assertEquals("/1/name", refused(pool("a", 1, Map.of()), pool("a", 1, Map.of())).pointer());
        assertEquals("/0/labels/type", refused(pool("a", 1, Map.of("type", "spot"))).pointer());
        assertTrue(refused(pool("a", 1, Map.of("type", "spot"))).getMessage().contains("skci's own"));
        assertEquals("/0/labels/bad key", refused(pool("a", 1, Map.of("bad key", "x"))).pointer());
        assertEquals("/0/name", refused(pool("GPU", 1, Map.of())).pointer());
        Pools.Invalid cpu = refused(new PoolSpec("a", 1, Map.of("cpu", "lots", "memory", "1Gi"), Map.of(), Map.of(), List.of(), List.of()));
        assertEquals("/0/capacity/cpu", cpu.pointer());
        assertTrue(cpu.getMessage().contains("not a Kubernetes quantity"), cpu.getMessage());
        Pools.Invalid alloc = refused(new PoolSpec("a", 1, Map.of("cpu", "4", "memory", "16Gi"), Map.of("cpu", "5"), Map.of(), List.of(),
                List.of()));
        assertEquals("/0/allocatable/cpu", alloc.pointer());
        assertTrue(alloc.getMessage().contains("more than the capacity"), alloc.getMessage());
        assertEquals("/0/labels/topology.kubernetes.io~1zone", refused(new PoolSpec("a", 1, Map.of("cpu", "4", "memory", "16Gi"), Map.of(),
                Map.of("topology.kubernetes.io/zone", "x"), List.of(), List.of("a", "b"))).pointer());
        assertEquals("/0/taints/0/key", refused(new PoolSpec("a", 1, Map.of("cpu", "4", "memory", "16Gi"), Map.of(), Map.of(),
                List.of(new PoolSpec.TaintSpec("kwok-provider", null, "NoSchedule")), List.of())).pointer());
        assertEquals("/0/capacity/gpu", refused(new PoolSpec("a", 1, Map.of("cpu", "4", "memory", "16Gi", "gpu", "1"), Map.of(), Map.of(),
                List.of(), List.of())).pointer(), "extended resources need a domain");
        assertTrue(refused(pool("a", 6000, Map.of()), pool("b", 6000, Map.of())).getMessage().contains("at most 10000"));
    }

    @Test
    void nodesCarryThePoolsLabelsAndTaintsAndSkcisMarkersAndSpreadOverZones() {
        PoolSpec p = new PoolSpec("arm", 4, Map.of("cpu", "16", "memory", "64Gi", "pods", "58"), Map.of("memory", "60Gi"),
                Map.of("kubernetes.io/arch", "arm64", "node.kubernetes.io/instance-type", "m7g.4xlarge"),
                List.of(new PoolSpec.TaintSpec("arch", "arm64", "NoSchedule")), List.of("eu-1a", "eu-1b"));
        Pools.check(List.of(p));
        List<Node> nodes = NodePool.virtualNodes(List.of(p));
        assertEquals(List.of("skci-virtual-arm-0", "skci-virtual-arm-1", "skci-virtual-arm-2", "skci-virtual-arm-3"),
                nodes.stream().map(n -> n.getMetadata().getName()).toList());
        assertEquals(List.of("eu-1a", "eu-1b", "eu-1a", "eu-1b"),
                nodes.stream().map(n -> n.getMetadata().getLabels().get("topology.kubernetes.io/zone")).toList());
        Node n = nodes.getFirst();
        assertEquals("arm64", n.getMetadata().getLabels().get("kubernetes.io/arch"));
        assertEquals("arm64", n.getStatus().getNodeInfo().getArchitecture());
        assertEquals("virtual", n.getMetadata().getLabels().get(SimNames.LABEL_NODE_TYPE));
        assertEquals("fake", n.getMetadata().getAnnotations().get(SimNames.ANNOTATION_KWOK_NODE));
        assertEquals(List.of("kwok-provider", "arch"), n.getSpec().getTaints().stream().map(t -> t.getKey()).toList());
        assertEquals("60Gi", n.getStatus().getAllocatable().get("memory").toString(), "the given allocatable");
        assertEquals("58", n.getStatus().getAllocatable().get("pods").toString());
        assertEquals("15890m", n.getStatus().getAllocatable().get("cpu").toString(), "derived: EKS's reservation for 16 cores");
    }

    @Test
    void theDefaultPoolKeepsTheNodeNamesAndShapeOfBefore() {
        List<Node> nodes = NodePool.virtualNodes(ClusterSpec.defaultPools());
        assertEquals(List.of("skci-virtual-0", "skci-virtual-1", "skci-virtual-2"), nodes.stream().map(n -> n.getMetadata().getName()).toList());
        assertEquals("m5.2xlarge", nodes.getFirst().getMetadata().getLabels().get("node.kubernetes.io/instance-type"));
        assertEquals(List.of("us-east-1a", "us-east-1b", "us-east-1c"),
                nodes.stream().map(n -> n.getMetadata().getLabels().get("topology.kubernetes.io/zone")).toList());
        assertEquals("7910m", nodes.getFirst().getStatus().getAllocatable().get("cpu").toString());
    }

    @Test
    void poolsSurviveTheirJsonRoundTrip() {
        List<PoolSpec> pools = List.of(PoolSpec.quick(2, ClusterSpec.NodeShape.DEFAULT), new PoolSpec("gpu", 0,
                Map.of("cpu", "4", "memory", "16Gi", "nvidia.com/gpu", "1"), Map.of(), Map.of(), List.of(new PoolSpec.TaintSpec("g", null, "NoSchedule")),
                List.of()));
        assertEquals(pools, Pools.fromJson(Pools.toJson(pools)));
    }

    @Test
    void slotsComeBackFromTheNode() {
        for (int slot : new int[] {0, 1, 255, 256, 9999, NodePool.SLOTS - 1}) {
            assertEquals(slot, NodePool.slotOf(NodePool.withSlot(NodePool.virtualNodes(ClusterSpec.defaultPools()).getFirst(), slot)));
        }
    }
}
