package dev.skci.observe;

import dev.skci.SkciException;
import dev.skci.cluster.SimNames;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Watches what happens in the simulation (informers, never polling): the run's pods, the cluster's
 * nodes and the events in the run's namespaces. It keeps one small record per pod and node with the
 * times of each transition, and event counts by reason; everything else (the timeline, latencies,
 * per-workload counts, fidelity) is derived from those records afterwards ({@link Metrics}). Two
 * invariants are checked as events arrive, so a pod briefly bound to a real node is caught even if it
 * is gone by the end: every pod in a virtual namespace was mutated, and none was bound to a node without
 * the virtual label.
 */
public final class Observer implements AutoCloseable {
    private final String runName;
    private final List<SharedIndexInformer<Pod>> podInformers = new ArrayList<>();
    private final List<SharedIndexInformer<Event>> eventInformers = new ArrayList<>();
    private final SharedIndexInformer<Node> nodeInformer;
    private final Map<String, PodRecord> pods = new ConcurrentHashMap<>();
    private final Map<String, String> strings = new ConcurrentHashMap<>();
    private final Map<String, NodeRecord> nodes = new ConcurrentHashMap<>();
    /** Event uid to {reason, count}: the API server aggregates repeats into one event with a count. */
    private final Map<String, Object[]> events = new ConcurrentHashMap<>();
    /** The first event of each reason, as "Kind namespace/name: message". */
    private final Map<String, String> firstByReason = new ConcurrentHashMap<>();
    private final Map<String, Violation> violations = new LinkedHashMap<>();
    private final List<Consumer<Pod>> listeners = new CopyOnWriteArrayList<>();
    private volatile Instant started;

    public Observer(KubernetesClient client, String runName, List<String> namespaces) {
        this.runName = runName;
        this.nodeInformer = client.nodes().runnableInformer(0);
        nodeInformer.addEventHandler(handler(n -> node(n, false), n -> node(n, true)));
        for (String ns : namespaces) {
            // The handlers read only the object an event delivers, never the cache, so the caches keep no more than
            // each pod's and event's key and resourceVersion (what relists compare): memory grows with the pods that
            // exist, by a few hundred bytes each, instead of with full pod objects (issue 12).
            SharedIndexInformer<Pod> pi = client.pods().inNamespace(ns).runnableInformer(0).itemStore(new KeyOnlyStore<>(Pod::new));
            pi.addEventHandler(handler(p -> pod(p, false), this::podDeleted));
            podInformers.add(pi);
            SharedIndexInformer<Event> ei = client.v1().events().inNamespace(ns).runnableInformer(0).itemStore(new KeyOnlyStore<>(Event::new));
            ei.addEventHandler(handler(this::event, e -> { }));
            eventInformers.add(ei);
        }
    }

    /** An informer handler: adds and updates go to {@code seen}, deletions to {@code deleted}. */
    public static <T> ResourceEventHandler<T> handler(Consumer<T> seen, Consumer<T> deleted) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                seen.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T obj) {
                seen.accept(obj);
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                deleted.accept(obj);
            }
        };
    }

    /** Starts watching and waits (bounded) until the caches are filled. */
    public void start(Duration timeout) throws InterruptedException {
        started = Instant.now();
        List<CompletableFuture<Void>> synced = new ArrayList<>();
        synced.add(nodeInformer.start().toCompletableFuture());
        podInformers.forEach(i -> synced.add(i.start().toCompletableFuture()));
        eventInformers.forEach(i -> synced.add(i.start().toCompletableFuture()));
        try {
            CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw SkciException.environment("the pod, node and event watches did not start within " + timeout.toSeconds() + " s", e);
        }
    }

    /** Also hands every pod event (not deletions) to {@code listener}; call before {@link #start}. */
    public void onPodChange(Consumer<Pod> listener) {
        listeners.add(listener);
    }

    /**
     * A deletion: the watch's DELETED event carries the pod's final state; a deletion found by a relist carries only
     * what the cache kept (its name), and must not be read as a pod without skci's mutation.
     */
    private void podDeleted(Pod pod) {
        if (pod.getSpec() != null) {
            pod(pod, true);
            return;
        }
        Instant now = Instant.now();
        pods.computeIfPresent(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(), (k, old) -> old.deleted() != null ? old
                : new PodRecord(old.namespace(), old.name(), old.workload(), old.node(), old.phase(), old.mutated(), old.created(),
                        old.scheduled(), old.running(), old.finished(), now, old.unschedulableSince(), old.schedulerMessage(),
                        old.cpuMillis(), old.memoryBytes()));
    }

    /** One copy of each namespace, workload, node, phase and scheduler message, however many pods share it. */
    private String shared(String s) {
        return s == null ? null : strings.computeIfAbsent(s, x -> x);
    }

    private void pod(Pod pod, boolean deleted) {
        if (!deleted) {
            listeners.forEach(l -> l.accept(pod));
        }
        String ns = shared(pod.getMetadata().getNamespace());
        String name = pod.getMetadata().getName();
        Instant now = Instant.now();
        Map<String, String> labels = pod.getMetadata().getLabels();
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        Map<String, String> selector = pod.getSpec() == null ? null : pod.getSpec().getNodeSelector();
        boolean mutated = labels != null && runName.equals(labels.get(SimNames.LABEL_SIMULATION))
                && selector != null && SimNames.NODE_TYPE_VIRTUAL.equals(selector.get(SimNames.LABEL_NODE_TYPE));
        String node = shared(pod.getSpec() == null ? null : pod.getSpec().getNodeName());
        String phase = shared(pod.getStatus() == null ? null : pod.getStatus().getPhase());
        PodCondition scheduledCondition = condition(pod, "PodScheduled");
        boolean unschedulable = scheduledCondition != null && "False".equals(scheduledCondition.getStatus())
                && "Unschedulable".equals(scheduledCondition.getReason());
        boolean scheduled = node != null || scheduledCondition != null && "True".equals(scheduledCondition.getStatus());
        String workload = shared(annotations == null ? null : annotations.get(SimNames.ANNOTATION_WORKLOAD));
        String message = unschedulable ? shared(scheduledCondition.getMessage()) : null;
        long[] requests = Resources.requests(pod);
        pods.compute(ns + "/" + name, (k, old) -> new PodRecord(ns, name,
                workload != null ? workload : old == null ? null : old.workload(),
                node != null ? node : old == null ? null : old.node(),
                phase != null ? phase : old == null ? null : old.phase(),
                mutated,
                old == null ? now : old.created(),
                old != null && old.scheduled() != null ? old.scheduled() : scheduled ? now : null,
                old != null && old.running() != null ? old.running() : "Running".equals(phase) ? now : null,
                old != null && old.finished() != null ? old.finished()
                        : "Succeeded".equals(phase) || "Failed".equals(phase) ? now : null,
                deleted ? now : null,
                old != null && old.unschedulableSince() != null ? old.unschedulableSince() : unschedulable ? now : null,
                unschedulable ? message : old == null ? null : old.schedulerMessage(),
                requests[0], requests[1]));
        if (!mutated) {
            violate(Violation.UNMUTATED_POD, ns + "/" + name,
                    "admitted without skci's mutation (no " + SimNames.LABEL_SIMULATION + "=" + runName
                            + " label or type=virtual nodeSelector)");
        }
        if (node != null && !virtualNode(node)) {
            violate(Violation.POD_ON_REAL_NODE, ns + "/" + name, "bound to node " + node + ", which is not a virtual node");
        }
    }

    private static PodCondition condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private void node(Node n, boolean deleted) {
        Instant now = Instant.now();
        Map<String, String> labels = n.getMetadata().getLabels();
        boolean virtual = labels != null && SimNames.NODE_TYPE_VIRTUAL.equals(labels.get(SimNames.LABEL_NODE_TYPE));
        var alloc = n.getStatus() == null ? null : n.getStatus().getAllocatable();
        long cpu = alloc == null ? 0 : Resources.cpuMillis(alloc.get("cpu"));
        long mem = alloc == null ? 0 : Resources.bytes(alloc.get("memory"));
        long podCap = alloc == null ? 0 : Resources.bytes(alloc.get("pods"));
        boolean ready = Readiness.isNodeReady(n);
        nodes.compute(n.getMetadata().getName(), (k, old) -> new NodeRecord(k, virtual,
                old == null ? now : old.appeared(),
                old != null && old.ready() != null ? old.ready() : ready ? now : null,
                deleted ? now : null, cpu, mem, podCap));
    }

    private void event(Event e) {
        String uid = e.getMetadata().getUid();
        if (uid != null && e.getReason() != null) {
            int count = e.getCount() == null ? 1 : Math.max(1, e.getCount());
            events.put(uid, new Object[] {e.getReason(), count});
            var o = e.getInvolvedObject();
            firstByReason.putIfAbsent(e.getReason(), (o == null ? "?" : o.getKind() + " " + o.getNamespace() + "/" + o.getName())
                    + ": " + e.getMessage());
        }
    }

    private boolean virtualNode(String name) {
        Node n = nodeInformer.getStore().getByKey(name);
        if (n == null) {
            return false; // unknown node: not one of ours
        }
        Map<String, String> labels = n.getMetadata().getLabels();
        return labels != null && SimNames.NODE_TYPE_VIRTUAL.equals(labels.get(SimNames.LABEL_NODE_TYPE));
    }

    private synchronized void violate(String invariant, String subject, String detail) {
        violations.putIfAbsent(invariant + "|" + subject, new Violation(invariant, subject, detail));
    }

    public synchronized List<Violation> violations() {
        return List.copyOf(violations.values());
    }

    public List<PodRecord> pods() {
        return pods.values().stream().sorted(Comparator.comparing(PodRecord::key)).toList();
    }

    public List<NodeRecord> nodes() {
        return nodes.values().stream().sorted(Comparator.comparing(NodeRecord::name)).toList();
    }

    /** Event counts by reason (FailedScheduling, FailedCreate, ...) in the run's namespaces. */
    public Map<String, Long> eventsByReason() {
        Map<String, Long> out = new TreeMap<>();
        for (Object[] e : events.values()) {
            out.merge((String) e[0], ((Integer) e[1]).longValue(), Long::sum);
        }
        return out;
    }

    /** The first event of a reason seen in the run's namespaces ("Kind namespace/name: message"), if any. */
    public java.util.Optional<String> firstEvent(String reason) {
        return java.util.Optional.ofNullable(firstByReason.get(reason));
    }

    /** Pod counts by the last phase each reached ({@code Running}, {@code Succeeded}...). */
    public Map<String, Integer> byFinalPhase() {
        Map<String, Integer> out = new TreeMap<>();
        pods.values().forEach(p -> out.merge(p.finalPhase(), 1, Integer::sum));
        return out;
    }

    /** When the watches started: nodes already there count as appearing then. */
    public Instant started() {
        return started;
    }

    @Override
    public void close() {
        podInformers.forEach(SharedIndexInformer::stop);
        eventInformers.forEach(SharedIndexInformer::stop);
        nodeInformer.stop();
    }
}
