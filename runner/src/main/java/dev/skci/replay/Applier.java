package dev.skci.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.Deadline;
import dev.skci.trace.Gvk;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies and deletes replayed objects. Applies are server-side applies with SimKube's field manager
 * {@code simkube} and force on conflict (a field another manager owns, e.g. replicas set by an HPA, must
 * not abort the run). Deletes tolerate 404. Transient API errors (429, 5xx, dropped connections, a
 * namespace whose default ServiceAccount is not there yet) are retried with backoff until the deadline.
 */
public final class Applier {
    public static final String FIELD_MANAGER = "simkube";
    private static final Logger log = LoggerFactory.getLogger(Applier.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    /** The result of one operation; {@code error} is null on success, {@code uid} set after an apply. */
    public record Outcome(boolean ok, int attempts, String error, String uid) {}

    private final KubernetesClient client;
    private final ApiResources resources;
    private final Deadline deadline;

    public Applier(KubernetesClient client, ApiResources resources, Deadline deadline) {
        this.client = client;
        this.resources = resources;
        this.deadline = deadline;
    }

    public Outcome apply(Gvk gvk, ObjectNode object) throws InterruptedException {
        GenericKubernetesResource r = MAPPER.convertValue(object, GenericKubernetesResource.class);
        String ns = r.getMetadata().getNamespace();
        String[] uid = new String[1];
        Outcome o = withRetries("apply " + gvk + " " + ns + "/" + r.getMetadata().getName(), () ->
                uid[0] = client.genericKubernetesResources(resources.context(gvk))
                        .inNamespace(ns)
                        .resource(r)
                        .fieldManager(FIELD_MANAGER)
                        .forceConflicts()
                        .serverSideApply()
                        .getMetadata().getUid());
        return new Outcome(o.ok(), o.attempts(), o.error(), uid[0]);
    }

    /** Creates an object the way a controller would (plain create); an existing one counts as success. */
    public Outcome create(Gvk gvk, ObjectNode object) throws InterruptedException {
        GenericKubernetesResource r = MAPPER.convertValue(object, GenericKubernetesResource.class);
        String ns = r.getMetadata().getNamespace();
        return withRetries("create " + gvk + " " + ns + "/" + r.getMetadata().getName(), () -> {
            try {
                client.genericKubernetesResources(resources.context(gvk)).inNamespace(ns).resource(r).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        });
    }

    public Outcome delete(Gvk gvk, String namespace, String name) throws InterruptedException {
        return withRetries("delete " + gvk + " " + namespace + "/" + name, () ->
                client.genericKubernetesResources(resources.context(gvk))
                        .inNamespace(namespace)
                        .withName(name)
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                        .delete()); // an empty result means 404: already gone, which is fine
    }

    private Outcome withRetries(String what, Runnable call) throws InterruptedException {
        Duration backoff = Duration.ofMillis(50);
        for (int attempt = 1; ; attempt++) {
            try {
                call.run();
                return new Outcome(true, attempt, null, null);
            } catch (KubernetesClientException e) {
                if (!transientError(e) || deadline.passed()) {
                    String msg = what + " failed: " + describe(e);
                    log.warn(msg);
                    return new Outcome(false, attempt, msg, null);
                }
                log.debug("{} failed transiently (attempt {}): {}", what, attempt, describe(e));
                Duration wait = backoff.compareTo(deadline.remaining()) < 0 ? backoff : deadline.remaining();
                Thread.sleep(Math.max(1, wait.toMillis()));
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    static boolean transientError(KubernetesClientException e) {
        int code = e.getCode();
        if (code == 0 || code == 429 || code >= 500) {
            return true; // dropped connection, throttling, server trouble
        }
        String m = String.valueOf(e.getMessage());
        // The ServiceAccount admission plugin refuses pods until the namespace's default SA exists.
        return code == 403 && m.contains("serviceaccount") && m.contains("not found");
    }

    static String describe(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getCode() + " " + e.getStatus().getMessage();
        }
        return e.getCode() == 0 ? String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                : e.getCode() + " " + e.getMessage();
    }
}
