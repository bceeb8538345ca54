package dev.skci.cluster;

import dev.skci.SkciException;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.readiness.Readiness;
import dev.skci.wait.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * What skci installs on every simulation cluster, whatever the provider: its KWOK stages, the virtual
 * nodes of the spec and the decoy node, then a wait until all of them are Ready. Idempotent: running it
 * again on the same cluster converges (missing nodes are created, surplus virtual nodes from a larger
 * earlier spec are removed, node labels and capacity follow the spec).
 */
public final class Bootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(60);
    private static final int PARALLEL_REQUESTS = 8;

    /** What a run did. {@code foreignStages} are Pod/Node stages of someone else that compete with skci's. */
    public record Result(List<String> stages, int virtualNodes, List<String> createdNodes, List<String> removedNodes,
            List<String> foreignStages) {}

    private final KubernetesClient client;
    private final Duration nodeTimeout;

    public Bootstrap(KubernetesClient client) {
        this(client, DEFAULT_NODE_TIMEOUT);
    }

    public Bootstrap(KubernetesClient client, Duration nodeTimeout) {
        this.client = Objects.requireNonNull(client);
        this.nodeTimeout = nodeTimeout;
    }

    public Result run(ClusterSpec spec) {
        List<String> stages = KwokStages.apply(client);
        List<String> foreign = KwokStages.foreign(client);
        if (!foreign.isEmpty()) {
            LOG.warn("KWOK stages not installed by skci act on pods/nodes too and KWOK chooses among matching stages at random: {}",
                    foreign);
        }
        List<Node> wanted = NodePool.nodesFor(spec);
        List<String> created = ensureNodes(wanted);
        List<String> removed = removeSurplus(spec.nodes());
        awaitReady(wanted.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet()));
        return new Result(stages, spec.nodes(), created, removed, foreign);
    }

    /** Removes what {@link #run} added: skci's nodes and skci's stages. Other objects stay. */
    public static void uninstall(KubernetesClient client) {
        for (Node n : client.nodes().list().getItems()) {
            String name = n.getMetadata().getName();
            if (NodePool.virtualIndex(name) >= 0 || NodePool.DECOY_NODE_NAME.equals(name)) {
                client.nodes().withName(name).delete();
            }
        }
        for (var stage : client.genericKubernetesResources(KwokStages.STAGE).list().getItems()) {
            if (stage.getMetadata().getName().startsWith(KwokStages.NAME_PREFIX)) {
                client.genericKubernetesResources(KwokStages.STAGE).withName(stage.getMetadata().getName()).delete();
            }
        }
    }

    private List<String> ensureNodes(List<Node> wanted) {
        Map<String, Node> existing = new HashMap<>();
        for (Node n : client.nodes().list().getItems()) {
            existing.put(n.getMetadata().getName(), n);
        }
        List<Callable<String>> work = new ArrayList<>();
        for (Node node : wanted) {
            Node current = existing.get(node.getMetadata().getName());
            work.add(current == null ? () -> create(node) : () -> {
                converge(current, node);
                return null;
            });
        }
        // Hundreds of nodes one request at a time take seconds; a few requests in flight do not.
        List<String> created = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_REQUESTS, Math.max(1, work.size())))) {
            for (Future<String> f : pool.invokeAll(work)) {
                String name = f.get();
                if (name != null) {
                    created.add(name);
                }
            }
        } catch (InterruptedException e) {
            throw SkciException.interrupted("creating nodes", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
        return created;
    }

    /** Creates a node; returns its name, or null when someone else created it meanwhile. */
    private String create(Node node) {
        try {
            // Nodes keep the status given at creation: capacity, allocatable and addresses.
            client.nodes().resource(node).create();
            return node.getMetadata().getName();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return null;
        }
    }

    /** Brings an existing node's labels, annotations, taints and capacity to what the spec wants. */
    private void converge(Node current, Node wanted) {
        String name = wanted.getMetadata().getName();
        boolean metaDiffers = !current.getMetadata().getLabels().entrySet().containsAll(wanted.getMetadata().getLabels().entrySet())
                || !annotations(current).entrySet().containsAll(annotations(wanted).entrySet())
                || !skciTaints(current).equals(skciTaints(wanted));
        if (metaDiffers) {
            client.nodes().withName(name).edit(n -> {
                n.getMetadata().getLabels().putAll(wanted.getMetadata().getLabels());
                if (!annotations(wanted).isEmpty()) {
                    if (n.getMetadata().getAnnotations() == null) {
                        n.getMetadata().setAnnotations(new HashMap<>());
                    }
                    n.getMetadata().getAnnotations().putAll(annotations(wanted));
                }
                // Only the kwok-provider taint is skci's; taints the control plane added stay.
                List<Taint> taints = new ArrayList<>(n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
                taints.removeIf(t -> SimNames.TAINT_KWOK_PROVIDER.equals(t.getKey()));
                taints.addAll(skciTaints(wanted));
                n.getSpec().setTaints(taints);
                return n;
            });
        }
        var status = current.getStatus();
        boolean capacityDiffers = status == null
                || !Objects.equals(status.getCapacity(), wanted.getStatus().getCapacity())
                || !Objects.equals(status.getAllocatable(), wanted.getStatus().getAllocatable());
        if (capacityDiffers) {
            client.nodes().withName(name).editStatus(n -> {
                n.getStatus().setCapacity(wanted.getStatus().getCapacity());
                n.getStatus().setAllocatable(wanted.getStatus().getAllocatable());
                return n;
            });
        }
    }

    /** Deletes skci's virtual nodes beyond the spec's count (left by an earlier, larger spec). */
    private List<String> removeSurplus(int count) {
        List<String> removed = new ArrayList<>();
        for (Node n : client.nodes().withLabel(SimNames.LABEL_NODE_TYPE, SimNames.NODE_TYPE_VIRTUAL).list().getItems()) {
            String name = n.getMetadata().getName();
            if (NodePool.virtualIndex(name) >= count) {
                client.nodes().withName(name).delete();
                removed.add(name);
            }
        }
        return removed;
    }

    /** Waits, watching nodes rather than polling, until every named node is Ready. */
    private void awaitReady(Set<String> names) {
        Wait.watch(names.size() + " node(s) to be Ready", nodeTimeout)
                .onTimeout(t -> SkciException.environment("nodes not Ready after " + nodeTimeout.toSeconds() + "s: "
                        + abbreviate(notReady(client.nodes().list().getItems(), names))
                        + " (is the KWOK controller running with skci's node stages?)"))
                .until(client.nodes(), nodes -> notReady(nodes, names).isEmpty());
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

    private static List<Taint> skciTaints(Node n) {
        List<Taint> taints = n.getSpec() == null || n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints();
        return taints.stream().filter(t -> SimNames.TAINT_KWOK_PROVIDER.equals(t.getKey()))
                .map(t -> new Taint(t.getEffect(), t.getKey(), null, t.getValue()))
                .toList();
    }

    private static Map<String, String> annotations(Node n) {
        Map<String, String> a = n.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }

    private static String abbreviate(Set<String> names) {
        List<String> list = List.copyOf(names);
        return list.size() <= 5 ? String.join(", ", list) : String.join(", ", list.subList(0, 5)) + " and " + (list.size() - 5) + " more";
    }
}
