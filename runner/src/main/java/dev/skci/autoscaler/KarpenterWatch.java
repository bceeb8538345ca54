package dev.skci.autoscaler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every node Karpenter makes during a simulation, as it appears (an informer, so a node consolidated away before the end
 * is still counted): what it carried, when it appeared and when it was first Ready.
 */
final class KarpenterWatch implements AutoCloseable {
    /** One node Karpenter made; {@code ready} is null while it never was. */
    record Seen(KarpenterObjects.MadeNode node, Instant appeared, Instant ready) {}

    private final SharedIndexInformer<Node> informer;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    KarpenterWatch(KubernetesClient client) {
        informer = client.nodes().runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node n) {
                record(n);
            }

            @Override
            public void onUpdate(Node old, Node n) {
                record(n);
            }

            @Override
            public void onDelete(Node n, boolean unknown) {}
        });
    }

    void start() {
        informer.start();
    }

    private void record(Node n) {
        if (!KarpenterObjects.made(n)) {
            return;
        }
        Instant now = Instant.now();
        KarpenterObjects.MadeNode made = KarpenterObjects.describe(n);
        seen.compute(n.getMetadata().getName(), (k, old) -> new Seen(
                // Markers are judged on the node as it settled: Karpenter adds the template's taints at registration.
                made, old == null ? now : old.appeared(), old != null && old.ready() != null ? old.ready() : made.ready() ? now : null));
    }

    List<Seen> nodes() {
        return seen.values().stream().sorted(Comparator.comparing(Seen::appeared)).toList();
    }

    Optional<Instant> firstReady() {
        return seen.values().stream().map(Seen::ready).filter(java.util.Objects::nonNull).min(Comparator.naturalOrder());
    }

    @Override
    public void close() {
        informer.stop();
    }
}
