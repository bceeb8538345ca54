package dev.skci.readiness;

import dev.skci.cluster.Bootstrap;
import dev.skci.cluster.Cluster;
import dev.skci.cluster.KwokStages;
import dev.skci.cluster.SimNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The gates about the cluster itself: API server, KWOK and its stages, virtual nodes, cert-manager. */
public final class ClusterGates {
    /** KWOK renews node heartbeats well within this; an older heartbeat means KWOK is not running. */
    static final Duration HEARTBEAT_FRESH = Duration.ofSeconds(90);

    private static final ResourceDefinitionContext STAGES = new ResourceDefinitionContext.Builder()
            .withGroup("kwok.x-k8s.io").withVersion("v1alpha1").withKind("Stage").withPlural("stages").withNamespaced(false).build();

    private final Cluster cluster;
    private final KubernetesClient client;

    public ClusterGates(Cluster cluster) {
        this.cluster = cluster;
        this.client = cluster.client();
    }

    private String log(String name) {
        return cluster.logDir().map(d -> d.resolve(name).toString()).orElse("the " + name + " of your cluster");
    }

    public Gate apiServer() {
        return Gate.of("api-server", "the API server answers /readyz", log("control-plane") + " (kube-apiserver)", () -> {
            String body = client.raw(client.getMasterUrl().toURI().resolve("/readyz").toString());
            return body != null && body.trim().equals("ok") ? null : "/readyz answered " + (body == null ? "nothing" : body.trim());
        });
    }

    public Gate kwok() {
        return Gate.of("kwok", "the KWOK controller is up and skci's stages are installed",
                log("control-plane") + " (kwok-controller) and 'kubectl get stages'", () -> {
            if (client.apiextensions().v1().customResourceDefinitions().withName(KwokStages.STAGE_CRD).get() == null) {
                return "the cluster does not serve KWOK Stages (" + KwokStages.STAGE_CRD + ")";
            }
            Set<String> present = client.genericKubernetesResources(STAGES).list().getItems().stream()
                    .map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
            List<String> missing = KwokStages.load(client).stream().map(GenericKubernetesResource::getMetadata)
                    .map(m -> m.getName()).filter(n -> !present.contains(n)).toList();
            if (!missing.isEmpty()) {
                return "skci's stages are missing: " + missing;
            }
            Instant freshest = freshestHeartbeat();
            if (freshest == null) {
                return "no KWOK node has a heartbeat yet";
            }
            return Duration.between(freshest, Instant.now()).compareTo(HEARTBEAT_FRESH) > 0
                    ? "the newest KWOK node heartbeat is from " + freshest + "; the KWOK controller is not running"
                    : null;
        });
    }

    public Gate virtualNodes() {
        return Gate.of("virtual-nodes", "at least one virtual node is Ready",
                "'kubectl get nodes -l type=virtual' and the kwok-controller log", () -> {
            List<Node> nodes = client.nodes().withLabel(SimNames.LABEL_NODE_TYPE, SimNames.NODE_TYPE_VIRTUAL).list().getItems();
            if (nodes.isEmpty()) {
                return "there are no nodes labelled type=virtual";
            }
            return nodes.stream().anyMatch(Bootstrap::isReady) ? null : nodes.size() + " virtual node(s), none Ready";
        });
    }

    /**
     * cert-manager's controller must run (it issues the certificates); the cainjector must be installed.
     * Whether the cainjector actually works is proven later, and more strongly, by the caBundle gate: a
     * running cainjector can still be stuck (the postmortem's was waiting for a leader lease).
     */
    public Gate certManager() {
        return Gate.of("cert-manager", "cert-manager's controller runs and its cainjector is installed",
                log("cert-manager-controller.log") + " and " + log("cert-manager-cainjector.log"), () -> {
            if (cluster.certManager().isPresent()) {
                return cluster.certManager().get().controllerRunning() ? null : "the cert-manager controller process is not running";
            }
            List<Deployment> all = client.apps().deployments().inAnyNamespace().withLabel("app.kubernetes.io/instance")
                    .list().getItems();
            Deployment controller = byName(all, "cert-manager");
            Deployment cainjector = byName(all, "cainjector");
            if (controller == null && cainjector == null) {
                // cert-manager may run outside the cluster (as in skci's local provider); the Issuer,
                // Certificate and caBundle gates prove that it works.
                return null;
            }
            if (controller == null || available(controller) < 1) {
                return "the cert-manager controller Deployment has no available replica";
            }
            return cainjector == null ? "cert-manager's controller is deployed but its cainjector is not" : null;
        });
    }

    private static Deployment byName(List<Deployment> all, String appName) {
        return all.stream().filter(d -> appName.equals(d.getMetadata().getLabels().get("app.kubernetes.io/name")))
                .findFirst().orElse(null);
    }

    private static int available(Deployment d) {
        return d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0 : d.getStatus().getAvailableReplicas();
    }

    /**
     * The newest sign of life from KWOK: it renews node Leases every few seconds (node status heartbeats
     * are rare, every ten minutes with skci's stages), so Leases first, status conditions as a fallback.
     */
    private Instant freshestHeartbeat() {
        List<Node> kwokNodes = client.nodes().list().getItems().stream()
                .filter(n -> SimNames.KWOK_NODE_FAKE.equals(annotation(n, SimNames.ANNOTATION_KWOK_NODE))).toList();
        Set<String> names = kwokNodes.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
        Instant fromLeases = client.leases().inNamespace("kube-node-lease").list().getItems().stream()
                .filter(l -> names.contains(l.getMetadata().getName()) && l.getSpec().getRenewTime() != null)
                .map(l -> l.getSpec().getRenewTime().toInstant())
                .max(Instant::compareTo).orElse(null);
        Instant fromStatus = kwokNodes.stream()
                .map(ClusterGates::heartbeat).filter(java.util.Objects::nonNull)
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
        for (NodeCondition c : n.getStatus().getConditions()) {
            if ("Ready".equals(c.getType()) && c.getLastHeartbeatTime() != null) {
                return Instant.parse(c.getLastHeartbeatTime());
            }
        }
        return null;
    }
}
