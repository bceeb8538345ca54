package dev.skci.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the nodes of a real cluster ({@code kubectl get nodes -o json}) into node pools: nodes of the same shape
 * (labels, taints, capacity and allocatable) become one pool with their count, their zones become the pool's zone
 * spread. What identifies a single node (its hostname, instance id, any label with a different value on every node)
 * is dropped, and so are the taints and resources the control plane adds and removes on its own (not-ready,
 * cordoned, an autoscaler's deletion marks, attachable volumes). Memory and ephemeral storage that differ by under
 * 1% between otherwise identical nodes (kernel versions) count as the same shape, with the smallest value.
 */
public final class NodeImport {
    /** Labels that name one node. */
    private static final Set<String> IDENTITY_LABELS = Set.of("kubernetes.io/hostname", "alpha.eksctl.io/instance-id",
            "node.kubernetes.io/instance-id", "cloud.google.com/gke-instance-id", "kubernetes.azure.com/node-image-version-id");
    /** Labels that repeat the zone under another name; the zone spread sets topology.kubernetes.io/zone only. */
    private static final Set<String> ZONE_ALIASES = Set.of("failure-domain.beta.kubernetes.io/zone", "topology.k8s.aws/zone-id",
            "topology.gke.io/zone", "topology.disk.csi.azure.com/zone", "topology.ebs.csi.aws.com/zone");
    /** State an autoscaler or the node lifecycle keeps on nodes; not part of a node's shape. */
    private static final Set<String> STATE_LABELS = Set.of("karpenter.sh/registered", "karpenter.sh/initialized",
            "node.kubernetes.io/exclude-from-external-load-balancers");
    private static final List<String> TRANSIENT_TAINT_PREFIXES = List.of("node.kubernetes.io/", "node.cloudprovider.kubernetes.io/",
            "ToBeDeletedByClusterAutoscaler", "DeletionCandidateOfClusterAutoscaler", "karpenter.sh/disrupted",
            "karpenter.sh/disruption", "karpenter.sh/unregistered", SimNames.TAINT_KWOK_PROVIDER);
    /** Labels whose value names the pool a node belongs to, best first. */
    private static final List<String> POOL_LABELS = List.of("karpenter.sh/nodepool", "eks.amazonaws.com/nodegroup",
            "alpha.eksctl.io/nodegroup-name", "cloud.google.com/gke-nodepool", "kubernetes.azure.com/agentpool", "agentpool",
            "node.kubernetes.io/instance-type");
    /** Fewer nodes than this are too few to call a label that differs on each of them an identity. */
    private static final int MIN_NODES_FOR_UNIQUE_VALUES = 4;
    private static final double SAME_SIZE = 0.01;

    private NodeImport() {}

    /**
     * The pools, and what was left out.
     *
     * @param nodes how many nodes were read
     * @param droppedLabels label keys left out, each with why
     */
    public record Result(List<PoolSpec> pools, int nodes, Map<String, String> droppedLabels) {}

    /** One node reduced to its shape. */
    private record Shape(String node, Map<String, String> labels, List<PoolSpec.TaintSpec> taints, Map<String, String> capacity,
            Map<String, String> allocatable, String zone, String skciPool) {
        /** Everything but memory and ephemeral storage, which may differ slightly. */
        String key() {
            return skciPool + "|" + labels + "|" + taints + "|" + strip(capacity) + "|" + strip(allocatable);
        }

        private static Map<String, String> strip(Map<String, String> m) {
            Map<String, String> out = new TreeMap<>(m);
            out.remove("memory");
            out.remove("ephemeral-storage");
            return out;
        }
    }

    /**
     * The nodes of {@code kubectl get nodes -o json} (or {@code -o yaml}): a List or NodeList with items, or one Node.
     * Anything else is invalid input naming the file.
     */
    public static List<Node> read(java.nio.file.Path file) {
        dev.skci.source.SourceFile source = dev.skci.source.SourceFile.of(file, "node list");
        com.fasterxml.jackson.databind.JsonNode root = source.read();
        List<com.fasterxml.jackson.databind.JsonNode> items = new ArrayList<>();
        String kind = root.path("kind").asText("");
        if (root.has("items") && root.get("items").isArray()) {
            root.get("items").forEach(items::add);
        } else if (kind.equals("Node")) {
            items.add(root);
        } else {
            throw new dev.skci.source.SourceException(source.name(), "", 1, "not a list of nodes; give the output of "
                    + "'kubectl get nodes -o json'");
        }
        var serialization = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            com.fasterxml.jackson.databind.JsonNode item = items.get(i);
            String at = kind.equals("Node") && !root.has("items") ? "" : "/items/" + i;
            if (!"Node".equals(item.path("kind").asText("Node")) || !item.path("metadata").hasNonNull("name")) {
                throw new dev.skci.source.SourceException(source.name(), at, source.lineOf(at), "item " + i + " is not a Node with a name");
            }
            try {
                out.add(serialization.convertValue(item, Node.class));
            } catch (RuntimeException e) {
                throw new dev.skci.source.SourceException(source.name(), at, source.lineOf(at), "item " + i + " is not a Node: "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
        }
        if (out.isEmpty()) {
            throw new dev.skci.source.SourceException(source.name(), "", 1, "has no nodes");
        }
        return out;
    }

    public static Result fromNodes(List<Node> nodes) {
        Map<String, String> dropped = new TreeMap<>();
        List<Shape> shapes = new ArrayList<>();
        for (Node n : nodes) {
            shapes.add(shape(n, dropped));
        }
        dropUniqueLabels(shapes, dropped);
        // Group: same labels, taints and exact resources but memory/storage; then by memory within 1%.
        Map<String, List<Shape>> byKey = new LinkedHashMap<>();
        shapes.stream().sorted(Comparator.comparing(Shape::node)).forEach(s -> byKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s));
        List<List<Shape>> groups = new ArrayList<>();
        for (List<Shape> same : byKey.values()) {
            List<Shape> bySize = new ArrayList<>(same);
            bySize.sort(Comparator.comparing((Shape s) -> amount(s.capacity().get("memory"))));
            List<Shape> current = new ArrayList<>();
            BigDecimal first = null;
            for (Shape s : bySize) {
                BigDecimal m = amount(s.capacity().get("memory"));
                if (first != null && m.compareTo(first.multiply(BigDecimal.valueOf(1 + SAME_SIZE))) > 0) {
                    groups.add(current);
                    current = new ArrayList<>();
                    first = null;
                }
                if (first == null) {
                    first = m;
                }
                current.add(s);
            }
            groups.add(current);
        }
        List<PoolSpec> pools = new ArrayList<>();
        Map<String, Integer> usedNames = new HashMap<>();
        groups.sort(Comparator.comparing((List<Shape> g) -> baseName(g.getFirst())).thenComparing(g -> -g.size()));
        for (List<Shape> g : groups) {
            pools.addAll(toPools(g, usedNames));
        }
        return new Result(pools, nodes.size(), dropped);
    }

    private static Shape shape(Node n, Map<String, String> dropped) {
        String name = n.getMetadata().getName();
        Set<String> own = new HashSet<>();
        own.add(name);
        if (n.getStatus() != null && n.getStatus().getAddresses() != null) {
            for (NodeAddress a : n.getStatus().getAddresses()) {
                own.add(a.getAddress());
            }
        }
        Map<String, String> labels = new TreeMap<>(n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels());
        String zone = labels.remove(Pools.ZONE_LABEL);
        if (zone == null) {
            zone = labels.get("failure-domain.beta.kubernetes.io/zone");
        }
        boolean skciNode = NodePool.isPoolNode(name) || SimNames.NODE_TYPE_VIRTUAL.equals(labels.get(SimNames.LABEL_NODE_TYPE));
        // A virtual node of skci's (a kept cluster's own nodes): its pool label is skci's, and names the pool.
        String skciPool = labels.remove(SimNames.LABEL_POOL);
        for (String key : List.copyOf(labels.keySet())) {
            String value = labels.get(key);
            String why = null;
            if (IDENTITY_LABELS.contains(key) || own.contains(value)) {
                why = "names a single node";
            } else if (ZONE_ALIASES.contains(key)) {
                why = "repeats the zone; the pool's zones set " + Pools.ZONE_LABEL;
            } else if (STATE_LABELS.contains(key)) {
                why = "state the control plane or an autoscaler keeps, not the node's shape";
            } else if (skciNode && key.equals(SimNames.LABEL_NODE_TYPE)) {
                why = "skci's own marker; every virtual node gets it";
            }
            if (why != null) {
                labels.remove(key);
                if (!(skciNode && (key.equals(SimNames.LABEL_NODE_TYPE) || key.equals("kubernetes.io/hostname")))) {
                    dropped.putIfAbsent(key, why);
                }
            }
        }
        List<PoolSpec.TaintSpec> taints = new ArrayList<>();
        if (n.getSpec() != null && n.getSpec().getTaints() != null) {
            for (Taint t : n.getSpec().getTaints()) {
                if (TRANSIENT_TAINT_PREFIXES.stream().noneMatch(p -> t.getKey().startsWith(p))) {
                    taints.add(new PoolSpec.TaintSpec(t.getKey(), t.getValue() == null || t.getValue().isEmpty() ? null : t.getValue(),
                            t.getEffect()));
                }
            }
        }
        taints.sort(Comparator.comparing(PoolSpec.TaintSpec::key).thenComparing(PoolSpec.TaintSpec::effect));
        Map<String, String> capacity = resources(n.getStatus() == null ? null : n.getStatus().getCapacity());
        Map<String, String> allocatable = resources(n.getStatus() == null ? null : n.getStatus().getAllocatable());
        allocatable.keySet().retainAll(capacity.keySet());
        return new Shape(name, labels, taints, capacity, allocatable, zone, skciPool);
    }

    /** The resources the scheduler packs against; volume attachment limits and empty hugepages are left out. */
    private static Map<String, String> resources(Map<String, Quantity> in) {
        Map<String, String> out = new TreeMap<>(Comparator.comparingInt(NodeImport::resourceOrder).thenComparing(Comparator.naturalOrder()));
        if (in == null) {
            return out;
        }
        in.forEach((k, q) -> {
            if (k.startsWith("attachable-volumes-")) {
                return;
            }
            if (k.startsWith("hugepages-") && amount(q.toString()).signum() == 0) {
                return;
            }
            out.put(k, q.toString());
        });
        return out;
    }

    private static int resourceOrder(String r) {
        int i = List.of("cpu", "memory", "pods", "ephemeral-storage").indexOf(r);
        return i < 0 ? 4 : i;
    }

    /** Labels with a different value on every one of at least four nodes name the node, whatever their key. */
    private static void dropUniqueLabels(List<Shape> shapes, Map<String, String> dropped) {
        if (shapes.size() < MIN_NODES_FOR_UNIQUE_VALUES) {
            return;
        }
        Map<String, Set<String>> values = new HashMap<>();
        Map<String, Integer> holders = new HashMap<>();
        for (Shape s : shapes) {
            s.labels().forEach((k, v) -> {
                values.computeIfAbsent(k, x -> new HashSet<>()).add(v);
                holders.merge(k, 1, Integer::sum);
            });
        }
        for (String key : values.keySet()) {
            int n = holders.get(key);
            if (n >= MIN_NODES_FOR_UNIQUE_VALUES && values.get(key).size() == n) {
                shapes.forEach(s -> s.labels().remove(key));
                dropped.putIfAbsent(key, "has a different value on every node");
            }
        }
    }

    /** One pool per group; a group whose zones cannot be spread round-robin becomes one pool per zone. */
    private static List<PoolSpec> toPools(List<Shape> group, Map<String, Integer> usedNames) {
        Shape first = group.getFirst();
        Map<String, String> capacity = new LinkedHashMap<>(first.capacity());
        Map<String, String> allocatable = new LinkedHashMap<>(first.allocatable());
        for (String res : List.of("memory", "ephemeral-storage")) {
            smallest(group, s -> s.capacity().get(res)).ifPresent(v -> capacity.put(res, v));
            smallest(group, s -> s.allocatable().get(res)).ifPresent(v -> allocatable.put(res, v));
        }
        Map<String, Integer> byZone = new TreeMap<>();
        int zoneless = 0;
        for (Shape s : group) {
            if (s.zone() == null) {
                zoneless++;
            } else {
                byZone.merge(s.zone(), 1, Integer::sum);
            }
        }
        Map<String, String> labels = new LinkedHashMap<>(first.labels());
        labels.remove("failure-domain.beta.kubernetes.io/zone");
        String base = baseName(first);
        List<PoolSpec> out = new ArrayList<>();
        if (zoneless > 0) {
            out.add(new PoolSpec(unique(base, usedNames), zoneless, capacity, allocatable, labels, first.taints(), List.of()));
        }
        if (!byZone.isEmpty()) {
            int max = byZone.values().stream().max(Integer::compare).orElseThrow();
            int min = byZone.values().stream().min(Integer::compare).orElseThrow();
            if (max - min <= 1) {
                // Round-robin puts the extra nodes in the first zones: list the fuller zones first.
                List<String> zones = byZone.entrySet().stream()
                        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                        .map(Map.Entry::getKey).toList();
                out.add(new PoolSpec(unique(base, usedNames), group.size() - zoneless, capacity, allocatable, labels, first.taints(), zones));
            } else {
                byZone.forEach((zone, count) -> out.add(new PoolSpec(unique(base + "-" + zone, usedNames), count, capacity, allocatable,
                        labels, first.taints(), List.of(zone))));
            }
        }
        return out;
    }

    private static java.util.Optional<String> smallest(List<Shape> group, java.util.function.Function<Shape, String> f) {
        return group.stream().map(f).filter(java.util.Objects::nonNull).min(Comparator.comparing(NodeImport::amount));
    }

    /** A pool name from the node's pool label (Karpenter, EKS, GKE, AKS), else its instance type. */
    static String baseName(Shape s) {
        if (s.skciPool() != null) {
            return sanitize(s.skciPool());
        }
        for (String key : POOL_LABELS) {
            String v = s.labels().get(key);
            if (v != null && !v.isBlank()) {
                return sanitize(v);
            }
        }
        return "pool";
    }

    static String sanitize(String v) {
        String s = v.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-+", "-").replaceAll("^-|-$", "");
        if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
            s = "pool-" + s;
        }
        if (s.length() > 34) {
            s = s.substring(0, 34).replaceAll("-$", "");
        }
        return s;
    }

    private static String unique(String base, Map<String, Integer> used) {
        String b = sanitize(base);
        int n = used.merge(b, 1, Integer::sum);
        return n == 1 ? b : b + "-" + n;
    }

    private static BigDecimal amount(String q) {
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(new Quantity(q));
    }

    /** Every label key the pools use, for messages. */
    public static Set<String> labelKeys(List<PoolSpec> pools) {
        Set<String> keys = new TreeSet<>();
        pools.forEach(p -> keys.addAll(p.labels().keySet()));
        return keys;
    }
}
