package dev.skci.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.wait.Deadline;
import dev.skci.trace.Gvk;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final HttpClient http;
    private final String master;
    private final ApiResources resources;
    private final Deadline deadline;

    public Applier(KubernetesClient client, ApiResources resources, Deadline deadline) {
        this.client = client;
        this.http = client.getHttpClient();
        String m = client.getMasterUrl().toString();
        this.master = m.endsWith("/") ? m : m + "/";
        this.resources = resources;
        this.deadline = deadline;
    }

    /**
     * Server-side applies {@code object}. The object is serialized once and sent as one PATCH; the
     * response is only read for the UID, and only when {@code wantUid} (time-warped CronJobs need it).
     * On a 2-core runner the client's CPU competes with the API server's, so this matters: replay
     * throughput went from 0.73 to 0.82 of a plain create loop (docs/benchmarks.md, "Replay throughput").
     */
    public Outcome apply(Gvk gvk, ObjectNode object, boolean wantUid) throws InterruptedException {
        String ns = object.path("metadata").path("namespace").asText();
        String name = object.path("metadata").path("name").asText();
        String body;
        try {
            body = MAPPER.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            return new Outcome(false, 0, "apply " + gvk + " " + ns + "/" + name + " failed: " + e.getOriginalMessage(), null);
        }
        String url = objectUrl(resources.context(gvk), ns, name) + "?fieldManager=" + FIELD_MANAGER + "&force=true";
        String[] uid = new String[1];
        Outcome o = withRetries("apply " + gvk + " " + ns + "/" + name, () -> {
            byte[] response = send(http.newHttpRequestBuilder().uri(url).timeout(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .method("PATCH", "application/apply-patch+yaml", body).build());
            if (wantUid) {
                uid[0] = uidOf(response);
            }
        });
        return new Outcome(o.ok(), o.attempts(), o.error(), uid[0]);
    }

    /** {@code <api>/apis/<group>/<version>/namespaces/<ns>/<plural>/<name>} ({@code /api/v1/...} for the core group). */
    private String objectUrl(ResourceDefinitionContext ctx, String ns, String name) {
        String group = ctx.getGroup() == null || ctx.getGroup().isEmpty() ? "api/" : "apis/" + ctx.getGroup() + "/";
        return master + group + ctx.getVersion() + "/namespaces/" + enc(ns) + "/" + ctx.getPlural() + "/" + enc(name);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Sends a request; a non-2xx answer or a transport error becomes a KubernetesClientException with its code. */
    private byte[] send(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = http.sendAsync(request, byte[].class).get();
        } catch (InterruptedException e) {
            throw dev.skci.SkciException.interrupted("sending " + request.method() + " " + request.uri().getPath(), e);
        } catch (ExecutionException e) {
            throw new KubernetesClientException(String.valueOf(e.getCause() == null ? e : e.getCause().getMessage()), e.getCause());
        }
        if (response.code() >= 200 && response.code() < 300) {
            return response.body();
        }
        Status status = null;
        try {
            status = MAPPER.readValue(response.body(), Status.class);
        } catch (IOException | RuntimeException e) {
            // not a Status; the code alone will do
        }
        throw new KubernetesClientException(status != null && status.getMessage() != null ? status.getMessage()
                : "HTTP " + response.code(), response.code(), status);
    }

    /** The object's metadata.uid, read with a streaming parser that stops as soon as it has it. */
    static String uidOf(byte[] json) throws IOException {
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals("metadata")) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String m = p.currentName();
                    p.nextToken();
                    if (m.equals("uid")) {
                        return p.getValueAsString();
                    }
                    p.skipChildren();
                }
                return null;
            }
        }
        return null;
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

    /** An API call that may throw KubernetesClientException (or an I/O error, which counts as transient). */
    @FunctionalInterface
    private interface Call {
        void run() throws IOException;
    }

    private Outcome withRetries(String what, Call call) throws InterruptedException {
        Duration backoff = Duration.ofMillis(50);
        for (int attempt = 1; ; attempt++) {
            try {
                try {
                    call.run();
                } catch (IOException io) {
                    throw new KubernetesClientException(io.getMessage(), io);
                }
                return new Outcome(true, attempt, null, null);
            } catch (KubernetesClientException e) {
                if (dev.skci.Failures.interrupt(e)) {
                    // fabric8 wraps an interrupt of a blocking call; the run is being stopped
                    throw dev.skci.SkciException.interrupted(what, new InterruptedException(e.getMessage()));
                }
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
        if (code <= 0 || code == 429 || code >= 500) {
            return true; // no answer (fabric8 gives no code: -1; a refused, dropped or timed-out connection), throttling, server trouble
        }
        String m = String.valueOf(e.getMessage());
        // The ServiceAccount admission plugin refuses pods until the namespace's default SA exists.
        return code == 403 && m.contains("serviceaccount") && m.contains("not found");
    }

    static String describe(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getCode() + " " + e.getStatus().getMessage();
        }
        return e.getCode() <= 0 ? String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                : e.getCode() + " " + e.getMessage();
    }
}
