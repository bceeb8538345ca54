package dev.skci.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes skci puts on a simulation cluster: N virtual (KWOK) nodes that simulated pods are steered
 * to, and one decoy that stands in for a real worker. The decoy has neither the {@code type=virtual}
 * label nor the {@code kwok-provider} taint (it carries KWOK's node annotation like the virtual nodes, so KWOK
 * keeps it Ready), so a pod that escaped mutation is scheduled onto it and is
 * visibly in the wrong place, as in the postmortem, instead of staying Pending unnoticed.
 */
public final class NodePool {
    public static final String VIRTUAL_NODE_PREFIX = "skci-virtual-";
    public static final String DECOY_NODE_NAME = "skci-decoy-worker";

    static final String REGION = "us-east-1";
    static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");

    private NodePool() {}

    public static String virtualNodeName(int index) {
        return VIRTUAL_NODE_PREFIX + index;
    }

    /** Virtual node {@code index}, zones round-robin, its own /24 pod CIDR so KWOK's IP pool never runs dry. */
    public static Node virtualNode(int index, NodeCapacity capacity) {
        String name = virtualNodeName(index);
        Map<String, String> labels = commonLabels(name, capacity.instanceType(), ZONES.get(index % ZONES.size()));
        labels.put(SimNames.LABEL_NODE_TYPE, SimNames.NODE_TYPE_VIRTUAL);
        return new NodeBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withLabels(labels)
                    .addToAnnotations(SimNames.ANNOTATION_KWOK_NODE, SimNames.KWOK_NODE_FAKE)
                .endMetadata()
                .withNewSpec()
                    .withPodCIDR(podCidr(index))
                    .withPodCIDRs(podCidr(index))
                    .addNewTaint()
                        .withKey(SimNames.TAINT_KWOK_PROVIDER)
                        .withValue("true")
                        .withEffect("NoSchedule")
                    .endTaint()
                .endSpec()
                .withNewStatus()
                    .withCapacity(capacity.capacity())
                    .withAllocatable(capacity.allocatable())
                    .addNewAddress().withType("InternalIP").withAddress(nodeIp(index)).endAddress()
                    .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                    .withNewNodeInfo().withArchitecture("amd64").withOperatingSystem("linux")
                        .withOsImage("skci virtual node (KWOK)").endNodeInfo()
                .endStatus()
                .build();
    }

    /** The stand-in for a real worker: schedulable, Ready (KWOK keeps it alive), not virtual. */
    public static Node decoyNode(NodeCapacity capacity) {
        Map<String, String> labels = commonLabels(DECOY_NODE_NAME, capacity.instanceType(), ZONES.getFirst());
        labels.put(SimNames.LABEL_NODE_TYPE, SimNames.NODE_TYPE_DECOY);
        return new NodeBuilder()
                .withNewMetadata()
                    .withName(DECOY_NODE_NAME)
                    .withLabels(labels)
                    // A stock KWOK (kind, existing clusters) keeps only annotated nodes Ready; Bootstrap's
                    // convergence adds it to a decoy made by an older runner.
                    .addToAnnotations(SimNames.ANNOTATION_KWOK_NODE, SimNames.KWOK_NODE_FAKE)
                .endMetadata()
                .withNewSpec()
                    .withPodCIDR("10.63.255.0/24")
                    .withPodCIDRs("10.63.255.0/24")
                .endSpec()
                .withNewStatus()
                    .withCapacity(capacity.capacity())
                    .withAllocatable(capacity.allocatable())
                    .addNewAddress().withType("InternalIP").withAddress("10.250.0.10").endAddress()
                    .addNewAddress().withType("Hostname").withAddress(DECOY_NODE_NAME).endAddress()
                    .withNewNodeInfo().withArchitecture("amd64").withOperatingSystem("linux")
                        .withOsImage("skci decoy worker (stands in for a real node)").endNodeInfo()
                .endStatus()
                .build();
    }

    /** All nodes for a spec: the virtual nodes in index order, then the decoy. */
    public static List<Node> nodesFor(ClusterSpec spec) {
        NodeCapacity capacity = NodeCapacity.of(spec.nodeShape());
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < spec.nodes(); i++) {
            nodes.add(virtualNode(i, capacity));
        }
        nodes.add(decoyNode(capacity));
        return nodes;
    }

    /** The index of a virtual node skci created, or -1 for any other name. */
    public static int virtualIndex(String nodeName) {
        if (!nodeName.startsWith(VIRTUAL_NODE_PREFIX)) {
            return -1;
        }
        try {
            return Integer.parseInt(nodeName.substring(VIRTUAL_NODE_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Map<String, String> commonLabels(String name, String instanceType, String zone) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", name);
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("node.kubernetes.io/instance-type", instanceType);
        labels.put("topology.kubernetes.io/region", REGION);
        labels.put("topology.kubernetes.io/zone", zone);
        return labels;
    }

    /** 10.64.0.0/10 split into /24s: room for 16384 nodes. */
    static String podCidr(int index) {
        return "10." + (64 + index / 256) + "." + (index % 256) + ".0/24";
    }

    static String nodeIp(int index) {
        return "10.240." + (index / 250) + "." + (index % 250 + 10);
    }
}
