package dev.skci.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One node pool of the simulated cluster ({@code cluster.nodePools} in skci.yaml, docs/config.md): {@code count}
 * identical virtual nodes with the given capacity, labels and taints, spread over {@code zones} when given.
 * Quantities are Kubernetes quantity strings as the user wrote them; {@link Pools#check} validates a list.
 *
 * @param capacity resource name to quantity: cpu, memory, pods, ephemeral-storage, extended resources
 * @param allocatable what the scheduler may hand out; resources not listed follow from the capacity (see {@link NodeCapacity})
 * @param zones spreads the nodes round-robin over {@code topology.kubernetes.io/zone}; empty: no zone label but the user's
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PoolSpec(String name, int count, Map<String, String> capacity, Map<String, String> allocatable,
        Map<String, String> labels, List<TaintSpec> taints, List<String> zones) {

    /** The pool {@code --nodes} makes, and the one a cluster gets when nothing else describes its nodes. */
    public static final String DEFAULT_NAME = "default";
    static final String DEFAULT_REGION = "us-east-1";
    static final List<String> DEFAULT_ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");

    public PoolSpec {
        Objects.requireNonNull(name);
        capacity = copy(capacity);
        allocatable = copy(allocatable);
        labels = copy(labels);
        taints = taints == null ? List.of() : List.copyOf(taints);
        zones = zones == null ? List.of() : List.copyOf(zones);
    }

    /** A taint of every node of a pool. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaintSpec(String key, String value, String effect) {
        public TaintSpec {
            Objects.requireNonNull(key);
            Objects.requireNonNull(effect);
        }
    }

    /**
     * The quick pool of {@code --nodes N --node-cpu --node-memory --node-pods}: N nodes of that shape, named
     * like an m5 instance when the shape is one, over three zones of one region, as skci's nodes always were.
     */
    public static PoolSpec quick(int count, ClusterSpec.NodeShape shape) {
        NodeCapacity c = NodeCapacity.of(shape);
        Map<String, String> capacity = new LinkedHashMap<>();
        capacity.put("cpu", shape.cpu());
        capacity.put("memory", shape.memory());
        capacity.put("pods", Integer.toString(shape.pods()));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("node.kubernetes.io/instance-type", c.instanceType());
        labels.put("topology.kubernetes.io/region", DEFAULT_REGION);
        return new PoolSpec(DEFAULT_NAME, count, capacity, Map.of(), labels, List.of(), DEFAULT_ZONES);
    }

    /** The same pool with another count. */
    public PoolSpec withCount(int n) {
        return new PoolSpec(name, n, capacity, allocatable, labels, taints, zones);
    }

    private static Map<String, String> copy(Map<String, String> m) {
        return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
