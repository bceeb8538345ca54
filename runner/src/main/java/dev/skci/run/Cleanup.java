package dev.skci.run;

import dev.skci.result.CleanupReport;

import dev.skci.cluster.SimNames;
import dev.skci.wait.Wait;
import dev.skci.webhook.WebhookRegistration;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes everything a run put on the cluster, in an order that cannot strand pods: the webhook
 * configuration first (while the webhook server is still up, so nothing is ever rejected by a dead
 * webhook), then the run's namespaces and their pods in bulk ({@link BulkDeletion}), then the
 * SimulationRoot with foreground deletion, which takes every replayed object left with it. The wait is bounded; on timeout the result says what is stuck. Finally it
 * verifies that nothing labelled with the run is left.
 */
public final class Cleanup {
    private static final Logger log = LoggerFactory.getLogger(Cleanup.class);

    public static final ResourceDefinitionContext ROOT = new ResourceDefinitionContext.Builder()
            .withGroup(SimNames.SIMKUBE_GROUP).withVersion("v1").withKind(SimNames.ROOT_KIND)
            .withPlural("simulationroots").withNamespaced(false).build();

    private Cleanup() {}

    public static CleanupReport run(KubernetesClient client, String runName, Duration timeout) {
        long started = System.nanoTime();
        List<String> problems = new ArrayList<>();
        try {
            client.admissionRegistration().v1().mutatingWebhookConfigurations()
                    .withName(WebhookRegistration.name(runName)).delete();
        } catch (KubernetesClientException e) {
            problems.add("could not delete webhook configuration " + WebhookRegistration.name(runName) + ": " + e.getMessage());
        }
        if (BulkDeletion.enabled()) {
            BulkDeletion.start(client, runName);
        }
        try {
            var root = client.genericKubernetesResources(ROOT).withName(runName);
            root.withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
            if (!Wait.watch("SimulationRoot " + runName + " to be deleted", timeout).tryUntil(root, List::isEmpty)) {
                problems.add("the SimulationRoot " + runName + " was not gone after " + timeout.toSeconds()
                        + " s of foreground deletion" + describeStuck(client, runName));
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                problems.add("could not delete the SimulationRoot " + runName + ": " + e.getMessage() + describeStuck(client, runName));
            }
        } catch (dev.skci.SkciException e) {
            problems.add("could not watch the SimulationRoot " + runName + " being deleted: " + e.getMessage());
        }
        List<String> leftovers = new ArrayList<>(problems);
        leftovers.addAll(verify(client, runName));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (!leftovers.isEmpty()) {
            log.warn("cleanup of {} incomplete: {}", runName, leftovers);
        }
        return new CleanupReport(leftovers.isEmpty(), took, leftovers);
    }

    /** What is left of the run: the root, the webhook configuration, namespaces or pods carrying its label. */
    public static List<String> verify(KubernetesClient client, String runName) {
        List<String> left = new ArrayList<>();
        if (client.genericKubernetesResources(ROOT).withName(runName).get() != null) {
            left.add("SimulationRoot " + runName);
        }
        if (client.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName(WebhookRegistration.name(runName)).get() != null) {
            left.add("MutatingWebhookConfiguration " + WebhookRegistration.name(runName));
        }
        for (Namespace ns : client.namespaces().withLabel(SimNames.LABEL_SIMULATION, runName).list().getItems()) {
            left.add("namespace " + ns.getMetadata().getName()
                    + (ns.getMetadata().getDeletionTimestamp() != null ? " (Terminating)" : ""));
        }
        for (Pod p : client.pods().inAnyNamespace().withLabel(SimNames.LABEL_SIMULATION, runName).list().getItems()) {
            left.add("pod " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());
        }
        return left;
    }

    /** Names what blocks the deletion: finalizers, pods on non-virtual nodes, terminating namespaces. */
    static String describeStuck(KubernetesClient client, String runName) {
        List<String> why = new ArrayList<>();
        try {
            for (Namespace ns : client.namespaces().withLabel(SimNames.LABEL_SIMULATION, runName).list().getItems()) {
                String name = ns.getMetadata().getName();
                if (ns.getMetadata().getDeletionTimestamp() != null) {
                    why.add("namespace " + name + " is Terminating"
                            + (ns.getStatus() != null && ns.getStatus().getConditions() != null
                                    ? ns.getStatus().getConditions().stream()
                                            .filter(c -> "True".equals(c.getStatus()))
                                            .map(c -> " [" + c.getType() + ": " + c.getMessage() + "]")
                                            .reduce("", String::concat)
                                    : ""));
                }
                for (Pod p : client.pods().inNamespace(name).list().getItems()) {
                    if (p.getMetadata().getFinalizers() != null && !p.getMetadata().getFinalizers().isEmpty()) {
                        why.add("pod " + name + "/" + p.getMetadata().getName() + " has finalizers " + p.getMetadata().getFinalizers());
                    }
                    String node = p.getSpec().getNodeName();
                    if (node != null && !virtual(client, node)) {
                        why.add("pod " + name + "/" + p.getMetadata().getName() + " is on non-virtual node " + node
                                + " (nothing simulates its deletion there)");
                    }
                }
            }
            GenericKubernetesResource root = client.genericKubernetesResources(ROOT).withName(runName).get();
            if (root != null && root.getMetadata().getFinalizers() != null) {
                why.add("the root still has finalizers " + root.getMetadata().getFinalizers());
            }
        } catch (KubernetesClientException e) {
            why.add("could not inspect the cluster: " + e.getMessage());
        }
        return why.isEmpty() ? "" : ": " + String.join("; ", why);
    }

    private static boolean virtual(KubernetesClient client, String nodeName) {
        Node n = client.nodes().withName(nodeName).get();
        Map<String, String> labels = n == null ? null : n.getMetadata().getLabels();
        return labels != null && SimNames.NODE_TYPE_VIRTUAL.equals(labels.get(SimNames.LABEL_NODE_TYPE));
    }
}
