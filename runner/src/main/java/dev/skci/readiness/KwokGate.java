package dev.skci.readiness;

import dev.skci.cluster.KwokStages;
import dev.skci.cluster.NodePool;
import dev.skci.cluster.SimNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** The KWOK controller runs (its node heartbeats are fresh) and serves skci's stages. */
final class KwokGate implements Gate {
    /** KWOK renews node heartbeats well within this; an older heartbeat means KWOK is not running. */
    static final Duration HEARTBEAT_FRESH = Duration.ofSeconds(90);

    @Override
    public String id() {
        return "kwok";
    }

    @Override
    public String description() {
        return "the KWOK controller is up and skci's stages are installed";
    }

    @Override
    public Phase phase() {
        return Phase.CLUSTER;
    }

    @Override
    public String check(GateContext c) {
        KubernetesClient client = c.client();
        if (client.apiextensions().v1().customResourceDefinitions().withName(KwokStages.STAGE_CRD).get() == null) {
            return "the cluster does not serve KWOK Stages (" + KwokStages.STAGE_CRD + ")";
        }
        Set<String> present = client.genericKubernetesResources(KwokStages.STAGE).list().getItems().stream()
                .map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
        List<String> missing = KwokStages.load(client).stream().map(GenericKubernetesResource::getMetadata)
                .map(m -> m.getName()).filter(n -> !present.contains(n)).toList();
        if (!missing.isEmpty()) {
            return "skci's stages are missing: " + missing;
        }
        Instant freshest = freshestHeartbeat(client);
        if (freshest == null) {
            return "no KWOK node has a heartbeat yet";
        }
        return Duration.between(freshest, Instant.now()).compareTo(HEARTBEAT_FRESH) > 0
                ? "the newest KWOK node heartbeat is from " + freshest + "; the KWOK controller is not running"
                : null;
    }

    @Override
    public String hint(GateContext c) {
        return c.cluster().logHint("control-plane") + " (kwok-controller) and 'kubectl get stages'";
    }

    /**
     * The newest sign of life from KWOK: it renews node Leases every few seconds (node status heartbeats
     * are rare, every ten minutes with skci's stages), so Leases first, status conditions as a fallback.
     * The decoy node counts too: it has no kubelet, so only KWOK keeps it alive, and it is the one node
     * that exists when an autoscaler starts the simulation with no virtual nodes.
     */
    private static Instant freshestHeartbeat(KubernetesClient client) {
        List<Node> kwokNodes = client.nodes().list().getItems().stream()
                .filter(n -> SimNames.KWOK_NODE_FAKE.equals(annotation(n, SimNames.ANNOTATION_KWOK_NODE))
                        || NodePool.DECOY_NODE_NAME.equals(n.getMetadata().getName()))
                .toList();
        Set<String> names = kwokNodes.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
        Instant fromLeases = client.leases().inNamespace("kube-node-lease").list().getItems().stream()
                .filter(l -> names.contains(l.getMetadata().getName()) && l.getSpec().getRenewTime() != null)
                .map(l -> l.getSpec().getRenewTime().toInstant())
                .max(Instant::compareTo).orElse(null);
        Instant fromStatus = kwokNodes.stream().map(KwokGate::heartbeat).filter(Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
        if (fromLeases == null) {
            return fromStatus;
        }
        return fromStatus == null || fromLeases.isAfter(fromStatus) ? fromLeases : fromStatus;
    }

    private static String annotation(Node n, String key) {
        Map<String, String> a = n.getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }

    private static Instant heartbeat(Node n) {
        if (n.getStatus() == null || n.getStatus().getConditions() == null) {
            return null;
        }
        for (NodeCondition cond : n.getStatus().getConditions()) {
            if ("Ready".equals(cond.getType()) && cond.getLastHeartbeatTime() != null) {
                return Instant.parse(cond.getLastHeartbeatTime());
            }
        }
        return null;
    }
}
