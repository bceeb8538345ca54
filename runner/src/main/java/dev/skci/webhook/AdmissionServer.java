package dev.skci.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.certs.KeyMaterial;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.KeyCertOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's HTTPS admission endpoint ({@code POST /mutate}). TLS 1.2 or newer only; the key pair can
 * be swapped at run time ({@link #reload}) without dropping a request. A request that cannot be parsed
 * gets a 400, which the API server treats as a webhook failure: with failurePolicy Fail, the pod is rejected.
 *
 * <p>It speaks HTTP/2 as well as HTTP/1.1 (ALPN). Since Kubernetes 1.30 the API server negotiates
 * HTTP/2 with a webhook whose URL is a loopback address, as the local provider's is: all admissions then
 * share one multiplexed connection. Over HTTP/1.1 the API server keeps 25 idle connections per webhook
 * and opens a new one, with a full TLS handshake, for every admission beyond them; under a burst of pod
 * creations that was half of this server's CPU and more of the API server's. The kind provider's webhook
 * is not on loopback, so there it is still HTTP/1.1. Measured (docs/benchmarks.md, "Webhook admission
 * latency"): in the 5,000-pod case the API server's CPU and the runner's went down. Its flow-control
 * windows are widened ({@link #STREAM_WINDOW}): with the defaults, that case's admissions waited seconds
 * for window updates and some missed the API server's 5 s deadline, which failed the pods' creation.
 *
 * <p>One event loop reads, parses and, when the handler can decide from memory
 * ({@link AdmissionHandler#handleWithoutBlocking}: a bare pod, an owner in the informer cache), answers at
 * once. Only a request whose decision may block (an owner the cache has not seen yet, so the API server is
 * asked) goes to a virtual thread of its own, because nothing may block the loop that serves every other
 * admission. The hop cost about 0.4 ms of the median admission at 100 pods/s (docs/benchmarks.md).
 */
public final class AdmissionServer implements AutoCloseable {
    public static final String PATH = "/mutate";
    /** The API server sends small reviews; anything bigger is refused rather than buffered. */
    private static final int MAX_BODY = 8 << 20;
    /** Admissions in flight on one HTTP/2 connection before the API server must open another. */
    static final int MAX_STREAMS = 1_000;
    /**
     * HTTP/2 flow-control windows (bytes the API server may send before we acknowledge them). The protocol's
     * default, 64 KiB for the whole connection, holds about 15 pod reviews: under a burst with hundreds of
     * admissions in flight, their bodies would queue behind window updates.
     */
    static final int STREAM_WINDOW = 1 << 20;
    private static final int CONNECTION_WINDOW = 16 << 20;
    private static final Logger log = LoggerFactory.getLogger(AdmissionServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final HttpServer server;
    private final ReloadingKeyManager keys;
    private final AdmissionHandler handler;
    private final RequestLog requests = new RequestLog();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong http2Requests = new AtomicLong();
    private final AtomicLong offLoop = new AtomicLong();
    private final String host;
    private volatile boolean running = true;

    private AdmissionServer(String host, KeyMaterial material, AdmissionHandler handler) {
        this.host = host;
        this.handler = handler;
        this.keys = new ReloadingKeyManager(material);
        // One event loop is plenty for TLS framing at hundreds of admissions/s; the work is on virtual threads.
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setSsl(true)
                .setKeyCertOptions(KeyCertOptions.wrap(keys))
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3", "TLSv1.2"))
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(MAX_STREAMS).setInitialWindowSize(STREAM_WINDOW))
                .setHttp2ConnectionWindowSize(CONNECTION_WINDOW)
                .setAcceptBacklog(256);
        this.server = vertx.createHttpServer(options)
                .connectionHandler(this::opened)
                .requestHandler(this::receive);
    }

    /** Starts serving on {@code host} (port 0 picks a free one). */
    public static AdmissionServer start(String host, int port, KeyMaterial material, AdmissionHandler handler)
            throws IOException {
        AdmissionServer s = new AdmissionServer(host, material, handler);
        try {
            s.server.listen(port).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            s.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException("cannot listen on " + host + ":" + port + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            s.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the webhook server", e);
        }
        log.debug("webhook listening on {}", s.url());
        return s;
    }

    public String host() {
        return host;
    }

    /** False once the server was stopped (by the run's cleanup, or by anything else). */
    public boolean running() {
        return running;
    }

    public int port() {
        return server.actualPort();
    }

    /** The URL the API server calls; an IPv6 literal gets brackets. */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "https://" + h + ":" + port() + PATH;
    }

    /** Serves {@code material} to new handshakes; a pair equal to the current one is ignored. */
    public void reload(KeyMaterial material) {
        try {
            if (java.util.Arrays.equals(keys.current().leaf().getEncoded(), material.leaf().getEncoded())) {
                return;
            }
        } catch (java.security.cert.CertificateEncodingException e) {
            // not comparable: install it
        }
        keys.install(material);
        log.info("webhook now serves certificate serial {}", material.leaf().getSerialNumber());
    }

    public KeyMaterial material() {
        return keys.current();
    }

    public RequestLog requests() {
        return requests;
    }

    /** Connections accepted so far, each one a TLS handshake. */
    public long connections() {
        return connections.get();
    }

    /** Requests that arrived over HTTP/2 (the rest came over HTTP/1.1). */
    public long http2Requests() {
        return http2Requests.get();
    }

    /** Requests the handler could not decide without blocking, so a virtual thread decided them. */
    public long decidedOffLoop() {
        return offLoop.get();
    }

    private void opened(HttpConnection c) {
        connections.incrementAndGet();
    }

    private void receive(HttpServerRequest req) {
        long started = System.nanoTime();
        Context context = Vertx.currentContext();
        if (req.version() == HttpVersion.HTTP_2) {
            http2Requests.incrementAndGet();
        }
        if (req.method() != HttpMethod.POST || !req.path().equals(PATH)) {
            boolean post = req.method() == HttpMethod.POST;
            respond(context, req, post ? 404 : 405, post ? "{\"error\":\"no such path\"}" : "{\"error\":\"POST an AdmissionReview\"}");
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] tooBig = {false}; // only touched on this request's event loop
        req.handler(chunk -> {
            if (tooBig[0]) {
                return; // answered already; the rest is read and dropped (closing would cut an HTTP/2 connection's other streams)
            }
            if (body.length() + chunk.length() > MAX_BODY) {
                tooBig[0] = true;
                refuse(context, req, "request larger than " + MAX_BODY + " bytes");
                return;
            }
            body.appendBuffer(chunk);
        });
        req.exceptionHandler(e -> log.debug("webhook: request stream failed: {}", e.toString()));
        req.endHandler(v -> {
            if (!tooBig[0]) {
                decide(context, req, body.getBytes(), started, System.nanoTime());
            }
        });
    }

    /** On the event loop: parse, then answer at once if the handler can decide without blocking, else on a virtual thread. */
    private void decide(Context context, HttpServerRequest req, byte[] bytes, long started, long received) {
        JsonNode review;
        AdmissionRequest request;
        try {
            review = JSON.readTree(bytes);
            request = AdmissionRequest.from(review);
        } catch (IOException | IllegalArgumentException e) {
            refuse(context, req, e.getMessage());
            return;
        }
        AdmissionResponse quick;
        try {
            quick = handler.handleWithoutBlocking(request);
        } catch (RuntimeException e) {
            quick = failed(request, e);
        }
        if (quick != null) {
            answer(context, req, review, request, quick, started, received);
            return;
        }
        offLoop.incrementAndGet();
        executor.execute(() -> {
            AdmissionResponse response;
            try {
                response = handler.handle(request);
            } catch (RuntimeException e) {
                response = failed(request, e);
            }
            answer(context, req, review, request, response, started, received);
        });
    }

    /** Fail closed: a bug in the handler denies the pod instead of letting it through unmutated. */
    private static AdmissionResponse failed(AdmissionRequest request, RuntimeException e) {
        log.warn("webhook: error handling {}: {}", request.describe(), e.toString());
        return AdmissionResponse.deny("skci webhook error: " + e);
    }

    /** Logs the decision, then writes it on the connection's event loop. */
    private void answer(Context context, HttpServerRequest req, JsonNode review, AdmissionRequest request,
            AdmissionResponse response, long started, long received) {
        byte[] out;
        try {
            out = JSON.writeValueAsBytes(review(review, request.uid(), response));
        } catch (IOException | RuntimeException e) {
            // Answered at once rather than left to the API server's timeout; with failurePolicy Fail it is a denial either way.
            log.warn("webhook: cannot serialize the answer to {}: {}", request.describe(), e.toString());
            requests.transportError();
            respond(context, req, 500, "{\"error\":\"cannot serialize the AdmissionReview\"}");
            return;
        }
        // Logged before replying, so whoever sees the answer also sees the log entry.
        long micros = (System.nanoTime() - started) / 1000;
        requests.add(new RequestLog.Entry(Instant.now(), request.operation(), request.subResource(),
                request.describe(), request.dryRun(), response.decision(), response.message(), micros, (received - started) / 1000));
        respond(context, req, 200, Buffer.buffer(out));
    }

    private void refuse(Context context, HttpServerRequest req, String why) {
        requests.transportError();
        log.warn("webhook: unreadable admission request: {}", why);
        respond(context, req, 400, "{\"error\":\"unreadable AdmissionReview\"}");
    }

    private static ObjectNode review(JsonNode in, String uid, AdmissionResponse r) {
        ObjectNode out = JSON.createObjectNode();
        out.put("apiVersion", in.path("apiVersion").asText("admission.k8s.io/v1"));
        out.put("kind", "AdmissionReview");
        ObjectNode resp = out.putObject("response");
        resp.put("uid", uid);
        resp.put("allowed", r.allowed());
        if (!r.allowed()) {
            ObjectNode status = resp.putObject("status");
            status.put("code", 403);
            status.put("message", r.message());
        } else if (r.patch() != null && !r.patch().isEmpty()) {
            resp.put("patchType", "JSONPatch");
            resp.put("patch", Base64.getEncoder().encodeToString(r.patch().toString().getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static void respond(Context context, HttpServerRequest req, int code, String json) {
        respond(context, req, code, Buffer.buffer(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes on the connection's own event loop, whichever thread decided the answer. */
    private static void respond(Context context, HttpServerRequest req, int code, Buffer body) {
        if (Vertx.currentContext() == context) {
            write(req, code, body);
        } else {
            context.runOnContext(v -> write(req, code, body));
        }
    }

    private static void write(HttpServerRequest req, int code, Buffer body) {
        if (!req.response().ended() && !req.response().closed()) {
            req.response().setStatusCode(code).putHeader("Content-Type", "application/json").end(body);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("webhook: the HTTP server did not stop cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        log.info("webhook: {} requests over {} connections ({} over HTTP/2, {} decided off the event loop)", requests.total(),
                connections(), http2Requests(), decidedOffLoop());
    }
}
