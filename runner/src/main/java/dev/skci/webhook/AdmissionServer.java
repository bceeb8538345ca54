package dev.skci.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.skci.certs.KeyMaterial;
import dev.skci.webhook.ReloadingKeyManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's HTTPS admission endpoint ({@code POST /mutate}). TLS 1.2 or newer only; the key pair can
 * be swapped at run time ({@link #reload}) without dropping a request. Requests are handled on virtual
 * threads, so a slow request never queues the others. A request that cannot be parsed gets a 400, which
 * the API server treats as a webhook failure: with failurePolicy Fail, the pod is rejected.
 */
public final class AdmissionServer implements AutoCloseable {
    public static final String PATH = "/mutate";
    /** The API server sends small reviews; anything bigger is refused rather than buffered. */
    private static final int MAX_BODY = 8 << 20;
    private static final Logger log = LoggerFactory.getLogger(AdmissionServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer server;
    private final ReloadingKeyManager keys;
    private final AdmissionHandler handler;
    private final RequestLog requests = new RequestLog();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final String host;
    private volatile boolean running = true;

    private AdmissionServer(String host, int port, KeyMaterial material, AdmissionHandler handler) throws IOException {
        this.host = host;
        this.handler = handler;
        this.keys = new ReloadingKeyManager(material);
        SSLContext tls;
        try {
            tls = SSLContext.getInstance("TLS");
            tls.init(new KeyManager[] {keys}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for the webhook: " + e.getMessage(), e);
        }
        server = HttpsServer.create(new InetSocketAddress(host, port), 256);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                params.setSSLParameters(p);
            }
        });
        server.createContext(PATH, this::serve);
        server.setExecutor(executor);
    }

    /** Starts serving on {@code host} (port 0 picks a free one). */
    public static AdmissionServer start(String host, int port, KeyMaterial material, AdmissionHandler handler)
            throws IOException {
        AdmissionServer s = new AdmissionServer(host, port, material, handler);
        s.server.start();
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
        return server.getAddress().getPort();
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

    private void serve(HttpExchange ex) throws IOException {
        long started = System.nanoTime();
        try (ex) {
            if (!ex.getRequestMethod().equals("POST")) {
                reply(ex, 405, "{\"error\":\"POST an AdmissionReview\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            JsonNode review;
            AdmissionRequest request;
            try (InputStream in = ex.getRequestBody()) {
                byte[] body = in.readNBytes(MAX_BODY + 1);
                if (body.length > MAX_BODY) {
                    throw new IllegalArgumentException("request larger than " + MAX_BODY + " bytes");
                }
                review = JSON.readTree(body);
                request = AdmissionRequest.from(review);
            } catch (IOException | IllegalArgumentException e) {
                requests.transportError();
                log.warn("webhook: unreadable admission request: {}", e.getMessage());
                reply(ex, 400, "{\"error\":\"unreadable AdmissionReview\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            AdmissionResponse response;
            try {
                response = handler.handle(request);
            } catch (RuntimeException e) {
                // Fail closed: a bug in the handler denies the pod instead of letting it through unmutated.
                log.warn("webhook: error handling {}: {}", request.describe(), e.toString());
                response = AdmissionResponse.deny("skci webhook error: " + e);
            }
            byte[] body = JSON.writeValueAsBytes(review(review, request.uid(), response));
            // Logged before replying, so whoever sees the answer also sees the log entry.
            long micros = (System.nanoTime() - started) / 1000;
            requests.add(new RequestLog.Entry(Instant.now(), request.operation(), request.subResource(),
                    request.describe(), request.dryRun(), response.decision(), response.message(), micros));
            reply(ex, 200, body);
        }
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

    private static void reply(HttpExchange ex, int code, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        running = false;
        server.stop(0);
        executor.shutdownNow();
    }
}
