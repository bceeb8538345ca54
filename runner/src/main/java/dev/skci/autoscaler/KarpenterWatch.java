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
 *
 * <p>It also gives each new node a pod CIDR of its own, as {@link dev.skci.cluster.NodePool} does for skci's nodes:
 * Karpenter's KWOK provider leaves {@code spec.podCIDR} empty, and KWOK then takes every such node's pod IPs from one
 * shared /24, which runs dry after 254 pods. The node is patched the moment it appears, while Karpenter's
 * {@code karpenter.sh/unregistered} taint still keeps every pod off it.
 */
final class KarpenterWatch implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KarpenterWatch.class);
    /** One node Karpenter made; {@code ready} is null while it never was. */
    record Seen(KarpenterObjects.MadeNode node, Instant appeared, Instant ready) {}

    private final KubernetesClient client;
    private final SharedIndexInformer<Node> informer;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger cidrs = new java.util.concurrent.atomic.AtomicInteger();

    KarpenterWatch(KubernetesClient client) {
        this.client = client;
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
        if (n.getSpec() == null || n.getSpec().getPodCIDR() == null || n.getSpec().getPodCIDR().isEmpty()) {
            givePodCidr(n.getMetadata().getName());
        }
        Instant now = Instant.now();
        KarpenterObjects.MadeNode made = KarpenterObjects.describe(n);
        seen.compute(n.getMetadata().getName(), (k, old) -> new Seen(
                // Markers are judged on the node as it settled: Karpenter adds the template's taints at registration.
                made, old == null ? now : old.appeared(), old != null && old.ready() != null ? old.ready() : made.ready() ? now : null));
    }

    /** 10.128.0.0/9 in /21s (2046 pods each; KWOK's instance types go up to 1024): room for 4096 nodes per simulation. */
    static String podCidr(int index) {
        int base = (128 << 16) + index * 8 * 256; // in units of addresses below 10.0.0.0
        return "10." + (base >> 16 & 0xff) + "." + (base >> 8 & 0xff) + ".0/21";
    }

    private void givePodCidr(String node) {
        if (seen.containsKey(node)) {
            return; // asked for already; the informer has not seen the patched node yet
        }
        String cidr = podCidr(cidrs.getAndIncrement() % 4096);
        try {
            client.nodes().withName(node).patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                    io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                    "{\"spec\":{\"podCIDR\":\"" + cidr + "\",\"podCIDRs\":[\"" + cidr + "\"]}}");
        } catch (RuntimeException e) {
            // A node deleted meanwhile, or one that got a CIDR from elsewhere: its pods share KWOK's default pool.
            LOG.debug("could not give node {} the pod CIDR {}: {}", node, cidr, e.getMessage());
        }
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
