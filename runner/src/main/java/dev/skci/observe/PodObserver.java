package dev.skci.observe;

import dev.skci.cluster.SimNames;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Watches the run's pods and the cluster's nodes (informers, not polling) and keeps each pod's timeline.
 * Two invariants are checked as events arrive, so a pod that was briefly bound to a real node is caught
 * even if it is gone by the end: every pod in a virtual namespace was mutated, and none was bound to a
 * node without the virtual label.
 */
public final class PodObserver implements AutoCloseable {
    private final String runName;
    private final List<SharedIndexInformer<Pod>> podInformers = new ArrayList<>();
    private final SharedIndexInformer<Node> nodeInformer;
    private final Map<String, PodRecord> pods = new ConcurrentHashMap<>();
    private final Map<String, Violation> violations = new LinkedHashMap<>();
    private final List<java.util.function.Consumer<Pod>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public PodObserver(KubernetesClient client, String runName, List<String> namespaces) {
        this.runName = runName;
        this.nodeInformer = client.nodes().runnableInformer(0);
        for (String ns : namespaces) {
            SharedIndexInformer<Pod> i = client.pods().inNamespace(ns).runnableInformer(0);
            i.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Pod pod) {
                    seen(pod, false);
                }

                @Override
                public void onUpdate(Pod oldPod, Pod pod) {
                    seen(pod, false);
                }

                @Override
                public void onDelete(Pod pod, boolean finalStateUnknown) {
                    seen(pod, true);
                }
            });
            podInformers.add(i);
        }
    }

    /** Starts watching and waits (bounded) until the caches are filled. */
    public void start(Duration timeout) throws InterruptedException {
        List<CompletableFuture<Void>> synced = new ArrayList<>();
        synced.add(nodeInformer.start().toCompletableFuture());
        podInformers.forEach(i -> synced.add(i.start().toCompletableFuture()));
        try {
            CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the pod and node watches did not start within " + timeout.toSeconds() + " s", e);
        }
    }

    /** Also hands every pod event (not deletions) to {@code listener}; call before {@link #start}. */
    public void onPodChange(java.util.function.Consumer<Pod> listener) {
        listeners.add(listener);
    }

    private void seen(Pod pod, boolean deleted) {
        if (!deleted) {
            listeners.forEach(l -> l.accept(pod));
        }
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        Instant now = Instant.now();
        Map<String, String> labels = pod.getMetadata().getLabels();
        Map<String, String> selector = pod.getSpec() == null ? null : pod.getSpec().getNodeSelector();
        boolean mutated = labels != null && runName.equals(labels.get(SimNames.LABEL_SIMULATION))
                && selector != null && SimNames.NODE_TYPE_VIRTUAL.equals(selector.get(SimNames.LABEL_NODE_TYPE));
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        pods.compute(ns + "/" + name, (k, old) -> new PodRecord(ns, name,
                node != null ? node : old == null ? null : old.node(),
                phase != null ? phase : old == null ? null : old.phase(),
                mutated,
                old == null ? now : old.created(),
                old != null && old.running() != null ? old.running() : "Running".equals(phase) ? now : null,
                old != null && old.finished() != null ? old.finished()
                        : "Succeeded".equals(phase) || "Failed".equals(phase) ? now : null,
                deleted ? now : null));
        if (!mutated) {
            violate(Violation.UNMUTATED_POD, ns + "/" + name,
                    "admitted without skci's mutation (no " + SimNames.LABEL_SIMULATION + "=" + runName
                            + " label or type=virtual nodeSelector)");
        }
        if (node != null && !virtualNode(node)) {
            violate(Violation.POD_ON_REAL_NODE, ns + "/" + name, "bound to node " + node + ", which is not a virtual node");
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
        return pods.values().stream().sorted(java.util.Comparator.comparing(PodRecord::key)).toList();
    }

    /** Pod counts by the last phase each reached ({@code Running}, {@code Succeeded}...). */
    public Map<String, Integer> byFinalPhase() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        pods.values().forEach(p -> out.merge(p.finalPhase(), 1, Integer::sum));
        return out;
    }

    @Override
    public void close() {
        podInformers.forEach(SharedIndexInformer::stop);
        nodeInformer.stop();
    }
}
