package dev.skci.cluster;

import dev.skci.SkciException;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.readiness.Readiness;
import dev.skci.wait.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What skci installs on every simulation cluster, whatever the provider: its KWOK stages, the virtual nodes of the
 * node pools and the decoy node, then a wait until all of them are Ready. Idempotent: running it again converges
 * ({@link #reconcile}: missing nodes are created, nodes of pools no longer wanted removed, labels, taints and
 * capacity that drifted or changed repaired), with a bounded number of requests in flight.
 *
 * <p>A cluster remembers its default pools on the decoy node: the pools it was booted with, or last given
 * explicitly ({@code skci cluster up --nodes 5}, a config's global {@code cluster.nodePools}). A simulation without
 * pools of its own gets them, so running on a kept cluster never resets a shape that {@code cluster up} set.
 */
public final class Bootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(60);
    /** Requests in flight while nodes are created, changed or removed: hundreds one at a time take seconds. */
    static final int PARALLEL_REQUESTS = 8;
    /** Taints the control plane puts on nodes (not-ready, unreachable, ...); converging leaves them alone. */
    private static final String CONTROLLER_TAINT_PREFIX = "node.kubernetes.io/";

    /**
     * What a run did. {@code foreignStages} are Pod/Node stages of someone else that compete with skci's.
     * {@code pools} are the pools the virtual nodes now follow.
     */
    public record Result(List<String> stages, int virtualNodes, List<String> createdNodes, List<String> removedNodes,
            List<String> foreignStages, List<String> changedNodes, List<PoolSpec> pools) {}

    /** What {@link #reconcile} did to the virtual nodes. */
    public record Reconciled(List<PoolSpec> pools, List<String> created, List<String> changed, List<String> removed) {
        /** One line, for progress messages. */
        public String summary() {
            return Pools.describe(pools) + ": " + created.size() + " created, " + changed.size() + " changed, "
                    + removed.size() + " removed";
        }
    }

    private final KubernetesClient client;
    private final Duration nodeTimeout;

    public Bootstrap(KubernetesClient client) {
        this(client, DEFAULT_NODE_TIMEOUT);
    }

    public Bootstrap(KubernetesClient client, Duration nodeTimeout) {
        this.client = Objects.requireNonNull(client);
        this.nodeTimeout = nodeTimeout;
    }

    /**
     * Stages, the decoy (remembering the default pools) and the virtual nodes. With pools in the spec they become
     * the cluster's default; without, a cluster keeps the default it remembers ({@link #defaultPools}).
     */
    public Result run(ClusterSpec spec) {
        List<String> stages = KwokStages.apply(client);
        List<String> foreign = KwokStages.foreign(client);
        if (!foreign.isEmpty()) {
            LOG.warn("KWOK stages not installed by skci act on pods/nodes too and KWOK chooses among matching stages at random: {}",
                    foreign);
        }
        List<PoolSpec> pools = spec.pools().orElseGet(this::defaultPools);
        ensureDecoy(pools);
        Reconciled r = reconcile(pools);
        return new Result(stages, Pools.total(pools), r.created(), r.removed(), foreign, r.changed(), pools);
    }

    /**
     * The pools the cluster remembers as its default: those on the decoy node; for a cluster an older skci set up
     * (no record), the shape of its virtual nodes as they are; for an empty one, the quick default.
     */
    public List<PoolSpec> defaultPools() {
        Node decoy = client.nodes().withName(NodePool.DECOY_NODE_NAME).get();
        String recorded = decoy == null || decoy.getMetadata().getAnnotations() == null ? null
                : decoy.getMetadata().getAnnotations().get(SimNames.ANNOTATION_DEFAULT_POOLS);
        if (recorded != null) {
            try {
                return Pools.fromJson(recorded);
            } catch (IllegalArgumentException e) {
                LOG.warn("the default pools recorded on {} are unreadable ({}); using the nodes as they are", NodePool.DECOY_NODE_NAME,
                        e.getMessage());
            }
        }
        List<Node> mine = client.nodes().list().getItems().stream().filter(n -> NodePool.isPoolNode(n.getMetadata().getName())).toList();
        return mine.isEmpty() ? ClusterSpec.defaultPools() : NodeImport.fromNodes(mine).pools();
    }

    /**
     * Makes the virtual nodes those of {@code pools} (the cluster's default when empty), and waits until they are
     * Ready. Nodes skci made for other pools are removed; nodes of the same name are relabelled, retainted and
     * resized in place; nodes skci did not make (an autoscaler's, real ones) are left alone.
     */
    public Reconciled reconcile(Optional<List<PoolSpec>> pools) {
        return reconcile(pools.orElseGet(this::defaultPools));
    }

    private Reconciled reconcile(List<PoolSpec> pools) {
        List<Node> wanted = NodePool.virtualNodes(pools);
        Map<String, Node> existing = new LinkedHashMap<>();
        for (Node n : client.nodes().list().getItems()) {
            existing.put(n.getMetadata().getName(), n);
        }
        Set<String> wantedNames = wanted.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
        BitSet used = new BitSet(NodePool.SLOTS);
        for (Node n : existing.values()) {
            int slot = NodePool.slotOf(n);
            if (slot >= 0 && (!NodePool.isPoolNode(n.getMetadata().getName()) || wantedNames.contains(n.getMetadata().getName()))) {
                used.set(slot);
            }
        }
        List<Callable<Change>> work = new ArrayList<>();
        for (Node node : wanted) {
            Node current = existing.get(node.getMetadata().getName());
            if (current == null) {
                int slot = used.nextClearBit(0);
                if (slot >= NodePool.SLOTS) {
                    throw SkciException.invalidInput("more than " + NodePool.SLOTS + " nodes: no pod CIDR left for " + node.getMetadata().getName());
                }
                used.set(slot);
                Node withSlot = NodePool.withSlot(node, slot);
                work.add(() -> create(withSlot));
            } else {
                work.add(() -> converge(current, node));
            }
        }
        for (Node n : existing.values()) {
            String name = n.getMetadata().getName();
            if (NodePool.isPoolNode(name) && !wantedNames.contains(name)) {
                work.add(() -> {
                    client.nodes().withName(name).delete();
                    return new Change(name, Change.Kind.REMOVED);
                });
            }
        }
        List<String> created = new ArrayList<>(), changed = new ArrayList<>(), removed = new ArrayList<>();
        for (Change c : runAll(work)) {
            switch (c.kind()) {
                case CREATED -> created.add(c.node());
                case CHANGED -> changed.add(c.node());
                case REMOVED -> removed.add(c.node());
                case NONE -> { }
            }
        }
        Set<String> names = new TreeSet<>(wantedNames);
        awaitReady(names);
        return new Reconciled(pools, sorted(created), sorted(changed), sorted(removed));
    }

    /** Removes what {@link #run} added: skci's nodes and skci's stages. Other objects stay. */
    public static void uninstall(KubernetesClient client) {
        for (Node n : client.nodes().list().getItems()) {
            String name = n.getMetadata().getName();
            if (NodePool.isPoolNode(name) || NodePool.DECOY_NODE_NAME.equals(name)) {
                client.nodes().withName(name).delete();
            }
        }
        for (var stage : client.genericKubernetesResources(KwokStages.STAGE).list().getItems()) {
            if (stage.getMetadata().getName().startsWith(KwokStages.NAME_PREFIX)) {
                client.genericKubernetesResources(KwokStages.STAGE).withName(stage.getMetadata().getName()).delete();
            }
        }
    }

    private record Change(String node, Kind kind) {
        enum Kind { CREATED, CHANGED, REMOVED, NONE }
    }

    private List<Change> runAll(List<Callable<Change>> work) {
        List<Change> out = new ArrayList<>();
        if (work.isEmpty()) {
            return out;
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_REQUESTS, work.size()))) {
            for (Future<Change> f : pool.invokeAll(work)) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            throw SkciException.interrupted("creating nodes", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
        return out;
    }

    /** The decoy node, remembering {@code pools} as the cluster's default. */
    private void ensureDecoy(List<PoolSpec> pools) {
        Node wanted = NodePool.decoyNode(pools);
        Node current = client.nodes().withName(NodePool.DECOY_NODE_NAME).get();
        if (current == null) {
            create(wanted);
        } else {
            converge(current, wanted);
        }
    }

    /** Creates a node; returns NONE when someone else created it meanwhile. */
    private Change create(Node node) {
        try {
            // Nodes keep the status given at creation: capacity, allocatable and addresses.
            client.nodes().resource(node).create();
            return new Change(node.getMetadata().getName(), Change.Kind.CREATED);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return new Change(node.getMetadata().getName(), Change.Kind.NONE);
        }
    }

    /**
     * Brings an existing node's labels, annotations, taints and capacity to what its pool wants. Labels are exactly
     * the pool's (a label a changed pool no longer has goes); taints the control plane set (node.kubernetes.io/...)
     * stay; annotations are only added (KWOK keeps its own there).
     */
    private Change converge(Node current, Node wanted) {
        String name = wanted.getMetadata().getName();
        Map<String, String> labels = current.getMetadata().getLabels() == null ? Map.of() : current.getMetadata().getLabels();
        boolean metaDiffers = !labels.equals(wanted.getMetadata().getLabels())
                || !annotations(current).entrySet().containsAll(annotations(wanted).entrySet())
                || !ownTaints(current).equals(ownTaints(wanted));
        if (metaDiffers) {
            retryOnConflict(() -> client.nodes().withName(name).edit(n -> {
                n.getMetadata().setLabels(new LinkedHashMap<>(wanted.getMetadata().getLabels()));
                if (!annotations(wanted).isEmpty()) {
                    if (n.getMetadata().getAnnotations() == null) {
                        n.getMetadata().setAnnotations(new HashMap<>());
                    }
                    n.getMetadata().getAnnotations().putAll(annotations(wanted));
                }
                List<Taint> taints = new ArrayList<>(n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
                taints.removeIf(t -> !t.getKey().startsWith(CONTROLLER_TAINT_PREFIX));
                taints.addAll(ownTaints(wanted));
                n.getSpec().setTaints(taints);
                return n;
            }));
        }
        var status = current.getStatus();
        boolean capacityDiffers = status == null
                || !sameAmounts(status.getCapacity(), wanted.getStatus().getCapacity())
                || !sameAmounts(status.getAllocatable(), wanted.getStatus().getAllocatable());
        if (capacityDiffers) {
            retryOnConflict(() -> client.nodes().withName(name).editStatus(n -> {
                n.getStatus().setCapacity(wanted.getStatus().getCapacity());
                n.getStatus().setAllocatable(wanted.getStatus().getAllocatable());
                if (n.getStatus().getNodeInfo() != null && wanted.getStatus().getNodeInfo() != null) {
                    n.getStatus().getNodeInfo().setArchitecture(wanted.getStatus().getNodeInfo().getArchitecture());
                    n.getStatus().getNodeInfo().setOperatingSystem(wanted.getStatus().getNodeInfo().getOperatingSystem());
                }
                return n;
            }));
        }
        return new Change(name, metaDiffers || capacityDiffers ? Change.Kind.CHANGED : Change.Kind.NONE);
    }

    /**
     * Runs an edit again (it reads the node afresh each time) when the API server answers 409: the KWOK controller
     * updates a node's status (heartbeats, conditions) concurrently, so an edit may race it. A few attempts suffice.
     */
    private static void retryOnConflict(Runnable edit) {
        for (int attempt = 1; ; attempt++) {
            try {
                edit.run();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** Waits, watching nodes rather than polling, until every named node is Ready. */
    private void awaitReady(Set<String> names) {
        Set<String> all = new TreeSet<>(names);
        all.add(NodePool.DECOY_NODE_NAME);
        Wait.watch(all.size() + " node(s) to be Ready", nodeTimeout)
                .onTimeout(t -> SkciException.environment("nodes not Ready after " + nodeTimeout.toSeconds() + "s: "
                        + abbreviate(notReady(client.nodes().list().getItems(), all))
                        + " (is the KWOK controller running with skci's node stages?)"))
                .until(client.nodes(), nodes -> notReady(nodes, all).isEmpty());
    }

    private static Set<String> notReady(List<Node> nodes, Set<String> names) {
        Set<String> missing = new TreeSet<>(names);
        for (Node n : nodes) {
            if (Readiness.isNodeReady(n)) {
                missing.remove(n.getMetadata().getName());
            }
        }
        return missing;
    }

    /** The taints skci manages on a node: all but the control plane's, without the time they were added. */
    private static List<Taint> ownTaints(Node n) {
        List<Taint> taints = n.getSpec() == null || n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints();
        return taints.stream().filter(t -> !t.getKey().startsWith(CONTROLLER_TAINT_PREFIX))
                .map(t -> new Taint(t.getEffect(), t.getKey(), null, t.getValue()))
                .toList();
    }

    private static boolean sameAmounts(Map<String, Quantity> a, Map<String, Quantity> b) {
        if (a == null || b == null || !a.keySet().equals(b.keySet())) {
            return false;
        }
        for (var e : a.entrySet()) {
            if (Quantity.getAmountInBytes(e.getValue()).compareTo(Quantity.getAmountInBytes(b.get(e.getKey()))) != 0) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> annotations(Node n) {
        Map<String, String> a = n.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }

    private static List<String> sorted(List<String> names) {
        return names.stream().sorted(java.util.Comparator.comparingInt(String::length).thenComparing(java.util.Comparator.naturalOrder()))
                .toList();
    }

    private static String abbreviate(Set<String> names) {
        List<String> list = List.copyOf(names);
        return list.size() <= 5 ? String.join(", ", list) : String.join(", ", list.subList(0, 5)) + " and " + (list.size() - 5) + " more";
    }
}
