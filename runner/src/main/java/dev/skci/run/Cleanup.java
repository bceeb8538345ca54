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
import java.util.Optional;
import java.io.PrintStream;
import dev.skci.SkciException;
import dev.skci.cluster.Cluster;
import dev.skci.wait.Deadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes everything a run put on the cluster, in an order that cannot strand pods: the webhook
 * configuration first (while the webhook server is still up, so nothing is ever rejected by a dead
 * webhook), then the run's namespaces and their pods in bulk ({@link BulkDeletion}), then the
 * SimulationRoot with foreground deletion, which takes every replayed object left with it. The wait is
 * bounded; on timeout the result says what is stuck. Finally it verifies that nothing labelled with the
 * run is left. It never throws for what the cluster does: every problem becomes a line of the report.
 */
public final class Cleanup {
    private static final Logger log = LoggerFactory.getLogger(Cleanup.class);

    public static final ResourceDefinitionContext ROOT = new ResourceDefinitionContext.Builder()
            .withGroup(SimNames.SIMKUBE_GROUP).withVersion("v1").withKind(SimNames.ROOT_KIND)
            .withPlural("simulationroots").withNamespaced(false).build();

    private Cleanup() {}

    /**
     * Removes the run from {@code cluster}, within {@code timeout} all told. After an API stall it first
     * waits for the API server to answer again; components the deletion needs (the garbage collector
     * and the namespace controller live in kube-controller-manager) are restarted when they are not
     * running, and a deletion that nothing can carry out any more is not waited for: the report names
     * what is left and why.
     */
    public static CleanupReport run(Cluster cluster, String runName, Duration timeout, PrintStream console) {
        long started = System.nanoTime();
        Deadline deadline = Deadline.after(timeout);
        KubernetesClient client = cluster.client();
        List<String> problems = new ArrayList<>();
        restartStopped(cluster, console).ifPresent(problems::add);
        if (!Wait.poll("the API server to answer", deadline).every(Duration.ofMillis(500)).tryUntil(() -> answers(client))) {
            problems.add("the API server did not answer within " + timeout.toSeconds() + " s of cleanup; SimulationRoot " + runName
                    + " and everything it owns are still on the cluster (the next run removes them once its heartbeat is "
                    + StaleRuns.STALE_AFTER.toSeconds() + " s old)");
            return report(runName, started, problems);
        }
        String webhook = WebhookRegistration.name(runName);
        retrying(deadline, "delete webhook configuration " + webhook, problems,
                () -> client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(webhook).delete());
        if (BulkDeletion.enabled()) {
            BulkDeletion.start(client, runName, deadline);
        }
        var root = client.genericKubernetesResources(ROOT).withName(runName);
        boolean deleting = retrying(deadline, "delete the SimulationRoot " + runName, problems,
                () -> root.withPropagationPolicy(DeletionPropagation.FOREGROUND).delete());
        if (deleting) {
            String[] blocked = new String[1];
            boolean gone;
            try {
                gone = Wait.poll("SimulationRoot " + runName + " to be deleted", deadline).every(Duration.ofMillis(250))
                        .tryUntil(() -> {
                            if (root.get() == null) {
                                return null;
                            }
                            // Foreground deletion is carried out by the garbage collector: if it stopped, start it
                            // again, and if that cannot be done, waiting is pointless.
                            Optional<String> failed = restartStopped(cluster, console);
                            if (failed.isPresent()) {
                                blocked[0] = failed.get();
                                throw SkciException.environment(failed.get());
                            }
                            return "still there";
                        });
            } catch (SkciException e) {
                if (SkciException.isInterrupt(e)) {
                    throw e;
                }
                gone = false;
            }
            if (!gone) {
                problems.add(blocked[0] != null
                        ? "the SimulationRoot " + runName + " cannot be deleted: " + blocked[0] + describeStuck(client, runName)
                        : "the SimulationRoot " + runName + " was not gone after " + timeout.toSeconds()
                                + " s of foreground deletion" + describeStuck(client, runName));
            }
        }
        return report(runName, started, problems, client);
    }

    private static CleanupReport report(String runName, long started, List<String> problems) {
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        log.warn("cleanup of {} incomplete: {}", runName, problems);
        return new CleanupReport(false, took, List.copyOf(problems));
    }

    private static CleanupReport report(String runName, long started, List<String> problems, KubernetesClient client) {
        List<String> leftovers = new ArrayList<>(problems);
        try {
            leftovers.addAll(verify(client, runName));
        } catch (KubernetesClientException e) {
            leftovers.add("could not verify that nothing is left: " + dev.skci.Failures.rootMessage(e));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (!leftovers.isEmpty()) {
            log.warn("cleanup of {} incomplete: {}", runName, leftovers);
        }
        return new CleanupReport(leftovers.isEmpty(), took, leftovers);
    }

    /** Restarts the cluster's stopped components, saying so; the reason when that failed. */
    private static Optional<String> restartStopped(Cluster cluster, PrintStream console) {
        List<String> stopped = cluster.components().stream().filter(c -> !c.running()).map(c -> c.name()).toList();
        if (stopped.isEmpty()) {
            return Optional.empty();
        }
        console.println("skci: " + String.join(", ", stopped) + (stopped.size() == 1 ? " is" : " are")
                + " not running; restarting for cleanup");
        try {
            cluster.restartStopped();
            return Optional.empty();
        } catch (SkciException e) {
            if (SkciException.isInterrupt(e)) {
                throw e;
            }
            return Optional.of(String.join(", ", stopped) + " could not be restarted: " + e.getMessage());
        }
    }

    private static String answers(KubernetesClient client) {
        try {
            return "ok".equals(client.raw("/readyz")) ? null : "/readyz is not ok";
        } catch (KubernetesClientException e) {
            return dev.skci.Failures.rootMessage(e);
        }
    }

    /** Calls {@code call}, retrying while the API server does not answer (until the deadline); false and a problem when it failed. */
    private static boolean retrying(Deadline deadline, String what, List<String> problems, Runnable call) {
        while (true) {
            try {
                call.run();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return true; // already gone
                }
                boolean transientError = e.getCode() <= 0 || e.getCode() == 429 || e.getCode() >= 500;
                if (!transientError || deadline.passed()) {
                    problems.add("could not " + what + ": " + dev.skci.Failures.rootMessage(e));
                    return false;
                }
                Wait.sleep(Duration.ofMillis(500));
            }
        }
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
