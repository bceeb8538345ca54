package dev.skci.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The nodes skci puts on a simulation cluster: the virtual (KWOK) nodes of the node pools, which simulated pods
 * are steered to, and one decoy that stands in for a real worker. Every virtual node carries skci's markers
 * ({@link #markVirtual}: label {@code type=virtual}, taint {@code kwok-provider}, the KWOK annotation) in addition
 * to its pool's labels and taints, so a pod's own nodeSelectors, affinities, topology spread constraints and
 * tolerations act on the pool labels as in production while skci's webhook adds only the markers. The decoy has
 * neither the label nor the taint, so a pod that escaped mutation is scheduled onto it and is visibly in the wrong
 * place, as in the postmortem, instead of staying Pending unnoticed.
 */
public final class NodePool {
    /** Every virtual node skci made from a pool has a name starting so; other nodes (an autoscaler's) are not skci's to manage. */
    public static final String VIRTUAL_NODE_PREFIX = "skci-virtual-";
    public static final String DECOY_NODE_NAME = "skci-decoy-worker";
    /** The decoy's pod CIDR lies outside the virtual nodes' 10.64.0.0/10. */
    private static final String DECOY_CIDR = "10.63.255.0/24";
    /** Slots for pod CIDRs and node addresses: 10.64.0.0/10 in /24s. */
    public static final int SLOTS = 16_384;

    private NodePool() {}

    /** Node {@code index} of the default pool (the one {@code --nodes} makes): {@code skci-virtual-<index>}, as always. */
    public static String virtualNodeName(int index) {
        return VIRTUAL_NODE_PREFIX + index;
    }

    /** Node {@code index} of a pool: {@code skci-virtual-<pool>-<index>}; the default pool keeps its old names. */
    public static String nodeName(String pool, int index) {
        return pool.equals(PoolSpec.DEFAULT_NAME) ? virtualNodeName(index) : VIRTUAL_NODE_PREFIX + pool + "-" + index;
    }

    /** True for a virtual node skci made from a pool (and so may remove or change). */
    public static boolean isPoolNode(String nodeName) {
        return nodeName.startsWith(VIRTUAL_NODE_PREFIX);
    }

    /** The index of a node of the default pool, or -1 for any other name. */
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

    /**
     * Adds what makes a node virtual in skci's eyes to a node: label {@code type=virtual}, the KWOK annotation (KWOK
     * then manages it) and the {@code kwok-provider=true:NoSchedule} taint that only simulated pods tolerate. Also for
     * nodes skci does not make itself (an autoscaler's), so the webhook's placement reaches them.
     */
    public static Node markVirtual(Node node) {
        if (node.getMetadata().getLabels() == null) {
            node.getMetadata().setLabels(new LinkedHashMap<>());
        }
        node.getMetadata().getLabels().put(SimNames.LABEL_NODE_TYPE, SimNames.NODE_TYPE_VIRTUAL);
        if (node.getMetadata().getAnnotations() == null) {
            node.getMetadata().setAnnotations(new LinkedHashMap<>());
        }
        node.getMetadata().getAnnotations().put(SimNames.ANNOTATION_KWOK_NODE, SimNames.KWOK_NODE_FAKE);
        if (node.getSpec() == null) {
            node.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
        }
        List<Taint> taints = new ArrayList<>(node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints());
        taints.removeIf(t -> SimNames.TAINT_KWOK_PROVIDER.equals(t.getKey()));
        taints.add(0, kwokTaint());
        node.getSpec().setTaints(taints);
        return node;
    }

    /** The taint every virtual node has. */
    public static Taint kwokTaint() {
        return new Taint("NoSchedule", SimNames.TAINT_KWOK_PROVIDER, null, "true");
    }

    /**
     * Every virtual node of the pools, pool by pool in index order, without pod CIDR and addresses (which depend
     * on what else runs: {@link #withSlot}).
     */
    public static List<Node> virtualNodes(List<PoolSpec> pools) {
        List<Node> out = new ArrayList<>();
        for (PoolSpec pool : pools) {
            NodeCapacity capacity = NodeCapacity.of(pool);
            for (int i = 0; i < pool.count(); i++) {
                out.add(virtualNode(pool, i, capacity));
            }
        }
        return out;
    }

    private static Node virtualNode(PoolSpec pool, int index, NodeCapacity capacity) {
        String name = nodeName(pool.name(), index);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", name);
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.putAll(pool.labels());
        if (!pool.zones().isEmpty()) {
            labels.put(Pools.ZONE_LABEL, pool.zones().get(index % pool.zones().size()));
        }
        labels.put(SimNames.LABEL_POOL, pool.name());
        List<Taint> taints = new ArrayList<>();
        for (PoolSpec.TaintSpec t : pool.taints()) {
            taints.add(new Taint(t.effect(), t.key(), null, t.value()));
        }
        Node node = new NodeBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                    .withTaints(taints)
                .endSpec()
                .withNewStatus()
                    .withCapacity(capacity.capacity())
                    .withAllocatable(capacity.allocatable())
                    .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                    .withNewNodeInfo().withArchitecture(labels.get("kubernetes.io/arch")).withOperatingSystem(labels.get("kubernetes.io/os"))
                        .withOsImage("skci virtual node (KWOK)").endNodeInfo()
                .endStatus()
                .build();
        return markVirtual(node);
    }

    /** The node with pod CIDR and internal IP of slot {@code slot}, so KWOK's IP pool never runs dry. */
    public static Node withSlot(Node node, int slot) {
        Node n = new NodeBuilder(node).build();
        n.getSpec().setPodCIDR(podCidr(slot));
        n.getSpec().setPodCIDRs(List.of(podCidr(slot)));
        List<io.fabric8.kubernetes.api.model.NodeAddress> addresses = new ArrayList<>(n.getStatus().getAddresses());
        addresses.removeIf(a -> "InternalIP".equals(a.getType()));
        addresses.add(0, new io.fabric8.kubernetes.api.model.NodeAddress(nodeIp(slot), "InternalIP"));
        n.getStatus().setAddresses(addresses);
        return n;
    }

    /** The slot a virtual node's pod CIDR is in, or -1. */
    public static int slotOf(Node node) {
        String cidr = node.getSpec() == null ? null : node.getSpec().getPodCIDR();
        if (cidr == null || !cidr.startsWith("10.") || !cidr.endsWith(".0/24")) {
            return -1;
        }
        String[] parts = cidr.substring(0, cidr.length() - 5).split("\\.");
        try {
            int second = Integer.parseInt(parts[1]);
            int third = Integer.parseInt(parts[2]);
            int slot = (second - 64) * 256 + third;
            return second >= 64 && second < 128 && third < 256 ? slot : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * The stand-in for a real worker: schedulable, Ready (KWOK keeps it alive), not virtual. It also remembers the
     * cluster's default pools ({@link SimNames#ANNOTATION_DEFAULT_POOLS}).
     */
    public static Node decoyNode(List<PoolSpec> defaultPools) {
        NodeCapacity capacity = NodeCapacity.of(ClusterSpec.NodeShape.DEFAULT);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", DECOY_NODE_NAME);
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("node.kubernetes.io/instance-type", capacity.instanceType());
        labels.put("topology.kubernetes.io/region", PoolSpec.DEFAULT_REGION);
        labels.put(Pools.ZONE_LABEL, PoolSpec.DEFAULT_ZONES.getFirst());
        labels.put(SimNames.LABEL_NODE_TYPE, SimNames.NODE_TYPE_DECOY);
        return new NodeBuilder()
                .withNewMetadata()
                    .withName(DECOY_NODE_NAME)
                    .withLabels(labels)
                    .addToAnnotations(SimNames.ANNOTATION_DEFAULT_POOLS, Pools.toJson(Objects.requireNonNull(defaultPools)))
                    // A stock KWOK (kind, existing clusters) keeps only annotated nodes Ready; Bootstrap's
                    // convergence adds it to a decoy made by an older runner.
                    .addToAnnotations(SimNames.ANNOTATION_KWOK_NODE, SimNames.KWOK_NODE_FAKE)
                .endMetadata()
                .withNewSpec()
                    .withPodCIDR(DECOY_CIDR)
                    .withPodCIDRs(DECOY_CIDR)
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

    /** 10.64.0.0/10 split into /24s: room for 16384 nodes. */
    static String podCidr(int slot) {
        return "10." + (64 + slot / 256) + "." + (slot % 256) + ".0/24";
    }

    static String nodeIp(int slot) {
        return "10.240." + (slot / 250) + "." + (slot % 250 + 10);
    }
}
