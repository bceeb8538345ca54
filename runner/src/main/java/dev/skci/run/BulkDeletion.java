package dev.skci.run;

import dev.skci.cluster.SimNames;
import dev.skci.wait.Deadline;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fast part of a run's cleanup (issue 12): removing thousands of pods one by one, as the garbage
 * collector does for a foreground deletion of the root (Deployment, then ReplicaSet, then every pod, each
 * a deletion the KWOK controller must then complete), takes minutes. Instead, before the root is deleted:
 * <ol>
 *   <li>every namespace of the run is deleted, so nothing can create pods in it any more (the API
 *       server refuses creates in a terminating namespace, whatever the controllers still try);
 *   <li>the pods of each are removed with one {@code deletecollection} and a grace period of 0: straight
 *       from etcd, with no KWOK round trip per pod (nothing runs in them to stop); the namespaces' requests
 *       run side by side.
 * </ol>
 * The namespace controller then removes the rest with one {@code deletecollection} per kind, and the
 * root's foreground deletion ({@link Cleanup}) finds little left to wait for. Failures are returned, not
 * thrown: the foreground deletion after this still removes everything, only slower, and {@link Cleanup}
 * verifies what is left either way, so they are logged rather than reported.
 */
final class BulkDeletion {
    private static final Logger log = LoggerFactory.getLogger(BulkDeletion.class);

    /** {@code -Dskci.cleanup=foreground} leaves it out, for the benchmark that measures what it saves. */
    static final String PROPERTY = "skci.cleanup";

    private static final long REQUEST_TIMEOUT_FLOOR_MS = 10_000;
    private static final long REQUEST_TIMEOUT_CAP_MS = 120_000;

    private BulkDeletion() {}

    static boolean enabled() {
        return !"foreground".equals(System.getProperty(PROPERTY));
    }

    /** Starts the bulk deletion of the run's namespaces and their pods; returns (and logs) what could not be done. */
    static List<String> start(KubernetesClient client, String runName, Deadline deadline) {
        // Synchronized: the namespaces' pod deletions below report from their own threads.
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        List<String> namespaces;
        try {
            namespaces = client.namespaces().withLabel(SimNames.LABEL_SIMULATION, runName).list().getItems().stream()
                    .map(Namespace::getMetadata).map(m -> m.getName()).toList();
        } catch (KubernetesClientException e) {
            log.warn("could not list the namespaces of {} for bulk deletion: {}", runName, e.getMessage());
            return List.of("could not list the run's namespaces for bulk deletion: " + e.getMessage());
        }
        for (String ns : namespaces) {
            try {
                client.namespaces().withName(ns).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    problems.add("could not delete namespace " + ns + ": " + e.getMessage());
                }
            }
        }
        // One DELETE on each namespace's pod collection (fabric8 sends deletecollection for a namespace-wide
        // delete), all at once: the API server answers only when the whole collection is gone, which for
        // 5,000 pods is longer than the client's usual 10 s request timeout (20,000 pods in 4 namespaces: two of
        // the four timed out, one after another), so these get half of what is left of the cleanup's deadline, up
        // to 2 minutes: the other half stays for the root's deletion if the API server stalls meanwhile.
        long half = deadline.remaining().toMillis() / 2;
        int timeoutMillis = (int) Math.max(REQUEST_TIMEOUT_FLOOR_MS, Math.min(REQUEST_TIMEOUT_CAP_MS, half));
        var config = new RequestConfigBuilder(client.getConfiguration().getRequestConfig()).withRequestTimeout(timeoutMillis).build();
        KubernetesClient patient = client.newClient(config).adapt(KubernetesClient.class);
        try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String ns : namespaces) {
                each.submit(() -> {
                    try {
                        patient.pods().inNamespace(ns).withGracePeriod(0).delete();
                    } catch (RuntimeException e) { // a KubernetesClientException, or anything else a thread would swallow
                        if (!(e instanceof KubernetesClientException k && k.getCode() == 404)) {
                            problems.add("could not delete the pods of namespace " + ns + ": " + e.getMessage());
                        }
                    }
                });
            }
        } // close() waits for every request, each bounded by the timeout above
        if (!problems.isEmpty()) {
            log.warn("bulk deletion of {} incomplete (the root's deletion removes the rest): {}", runName, problems);
        }
        return problems;
    }
}
