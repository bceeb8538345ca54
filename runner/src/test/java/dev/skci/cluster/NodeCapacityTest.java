package dev.skci.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.SkciException;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeCapacityTest {

    @Test
    void defaultShapeIsAnM5TwoXlargeWithEksReservations() {
        NodeCapacity c = NodeCapacity.of(ClusterSpec.NodeShape.DEFAULT);
        assertEquals("m5.2xlarge", c.instanceType());
        assertEquals("8", c.capacity().get("cpu").toString());
        assertEquals("7910m", c.allocatable().get("cpu").toString()); // 60 + 10 + 10 + 10 millicores reserved
        assertEquals(32L * 1024 * 1024 + "Ki", c.capacity().get("memory").toString());
        // 255Mi + 11Mi x 110 pods + 100Mi eviction threshold
        assertEquals((32L * 1024 - 255 - 1210 - 100) * 1024 + "Ki", c.allocatable().get("memory").toString());
        assertEquals("110", c.allocatable().get("pods").toString());
    }

    @Test
    void otherShapesGetACustomInstanceType() {
        assertEquals("m5.large", NodeCapacity.of(new ClusterSpec.NodeShape("2", "8Gi", 29)).instanceType());
        assertEquals("custom-2500mcpu-3Gi", NodeCapacity.of(new ClusterSpec.NodeShape("2500m", "3Gi", 20)).instanceType());
        assertEquals("custom-4cpu-1536Mi", NodeCapacity.of(new ClusterSpec.NodeShape("4", "1536Mi", 10)).instanceType());
    }

    @Test
    void allocatableIsPositiveAndBelowCapacityForRandomShapes() {
        Random r = new Random(42);
        for (int i = 0; i < 500; i++) {
            int cores = 1 + r.nextInt(128);
            int gi = 2 + r.nextInt(512);
            int pods = 1 + r.nextInt(250);
            NodeCapacity c = NodeCapacity.of(new ClusterSpec.NodeShape(Integer.toString(cores), gi + "Gi", pods));
            for (String res : new String[] {"cpu", "memory", "ephemeral-storage"}) {
                var cap = Quantity.getAmountInBytes(c.capacity().get(res));
                var alloc = Quantity.getAmountInBytes(c.allocatable().get(res));
                assertTrue(alloc.signum() > 0 && alloc.compareTo(cap) < 0, res + " of " + cores + "/" + gi + "Gi: " + alloc + " vs " + cap);
            }
        }
    }

    @Test
    void badShapesAreInvalidInput() {
        for (var shape : new ClusterSpec.NodeShape[] {
                new ClusterSpec.NodeShape("eight", "32Gi", 110),
                new ClusterSpec.NodeShape("8", "-1Gi", 110),
                new ClusterSpec.NodeShape("8", "32Gi", 0),
                new ClusterSpec.NodeShape("0", "32Gi", 110),
                new ClusterSpec.NodeShape("8", "500Mi", 110)}) {
            SkciException e = assertThrows(SkciException.class, () -> NodeCapacity.of(shape), shape.toString());
            assertEquals(SkciException.Kind.INVALID_INPUT, e.kind());
        }
    }

    @Test
    void podCidrsOfDifferentNodesNeverOverlap() {
        var seen = new java.util.HashSet<String>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(NodePool.podCidr(i)), "duplicate CIDR at node " + i);
        }
    }
}
