package dev.skci.run;

import dev.skci.cluster.SimNames;
import dev.skci.webhook.WebhookRegistration;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs that died without cleaning up (SIGKILL, a lost machine). Each live run renews a heartbeat
 * annotation on its SimulationRoot; a root whose heartbeat is older than {@link #STALE_AFTER} belongs to
 * a dead run. Its webhook configuration matters most: with failurePolicy Fail and a dead server behind
 * it, it would refuse every pod in that namespace prefix, so every later run there would fail. The next
 * run removes such leftovers before it starts; live concurrent runs are left alone.
 */
public final class StaleRuns {
    public static final String ANNOTATION_HEARTBEAT = "skci.dev/heartbeat";
    public static final Duration BEAT_EVERY = Duration.ofSeconds(10);
    public static final Duration STALE_AFTER = Duration.ofSeconds(60);

    private StaleRuns() {}

    /** Renews {@code runName}'s heartbeat until the returned executor is shut down. */
    public static ScheduledExecutorService heartbeat(KubernetesClient client, String runName) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofVirtual().name("skci-heartbeat").unstarted(r));
        s.scheduleAtFixedRate(() -> {
            try {
                client.genericKubernetesResources(Cleanup.ROOT).withName(runName).edit(root -> {
                    root.getMetadata().getAnnotations().put(ANNOTATION_HEARTBEAT, Instant.now().toString());
                    return root;
                });
            } catch (KubernetesClientException e) {
                // the next beat tries again; a missed one or two do not make a run stale
            }
        }, BEAT_EVERY.toMillis(), BEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    /** Removes every stale run's webhook configuration and root (with all it owns); returns their names. */
    public static List<String> reap(dev.skci.cluster.Cluster cluster, Duration timeout, PrintStream console) {
        KubernetesClient client = cluster.client();
        List<String> reaped = new ArrayList<>();
        List<GenericKubernetesResource> roots = client.genericKubernetesResources(Cleanup.ROOT)
                .withLabel("app.kubernetes.io/managed-by", "skci").list().getItems();
        Set<String> live = roots.stream().filter(r -> !stale(r)).map(r -> r.getMetadata().getName()).collect(Collectors.toSet());
        for (GenericKubernetesResource root : roots) {
            String run = root.getMetadata().getName();
            if (!live.contains(run)) {
                console.println("skci: removing the leftovers of run " + run + " (no heartbeat since "
                        + heartbeatOf(root) + "; it died without cleaning up)");
                dev.skci.result.CleanupReport r = Cleanup.run(cluster, run, timeout, console);
                if (!r.complete()) {
                    console.println("skci: could not remove all of run " + run + ": " + String.join("; ", r.leftovers()));
                }
                reaped.add(run);
            }
        }
        // A webhook configuration whose run has no root any more guards nothing and blocks everything.
        for (MutatingWebhookConfiguration c : client.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withLabel(SimNames.LABEL_SIMULATION).list().getItems()) {
            String run = c.getMetadata().getLabels().get(SimNames.LABEL_SIMULATION);
            if (!live.contains(run) && !reaped.contains(run)) {
                console.println("skci: removing webhook configuration " + c.getMetadata().getName() + " of vanished run " + run);
                client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(WebhookRegistration.name(run)).delete();
                reaped.add(run);
            }
        }
        return reaped;
    }

    static boolean stale(GenericKubernetesResource root) {
        String beat = heartbeatOf(root);
        Instant last;
        try {
            last = beat != null ? Instant.parse(beat) : Instant.parse(root.getMetadata().getCreationTimestamp());
        } catch (DateTimeParseException | NullPointerException e) {
            return true;
        }
        return Duration.between(last, Instant.now()).compareTo(STALE_AFTER) > 0;
    }

    private static String heartbeatOf(GenericKubernetesResource root) {
        Map<String, String> a = root.getMetadata().getAnnotations();
        return a == null ? null : a.get(ANNOTATION_HEARTBEAT);
    }
}
