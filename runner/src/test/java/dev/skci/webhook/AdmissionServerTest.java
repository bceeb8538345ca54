package dev.skci.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.certs.KeyMaterial;
import dev.skci.certs.RunCertificateAuthority;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import dev.skci.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admission endpoint over real TLS, as the API server calls it. */
class AdmissionServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REVIEW = """
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"abc","operation":"CREATE",
             "namespace":"virtual-x","object":{"metadata":{"name":"p"},"spec":{}}}}""";

    private static HttpClient client(X509Certificate ca, String... protocols) throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder().sslContext(trusting(ca));
        if (protocols.length > 0) {
            // Only when asked: an SSLParameters of our own would also drop the client's h2 offer (ALPN).
            SSLParameters p = new SSLParameters();
            p.setProtocols(protocols);
            b.sslParameters(p);
        }
        return b.build();
    }

    private static HttpResponse<String> post(HttpClient c, String url) throws Exception {
        return c.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(REVIEW)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersAdmissionReviewsOverTlsWithThePatch() throws Exception {
        RunCertificateAuthority ca = RunCertificateAuthority.create("t");
        KeyMaterial km = ca.issueServing(List.of("127.0.0.1", "localhost"));
        AdmissionHandler h = req -> AdmissionResponse.mutate(
                JSON.createArrayNode().add(JSON.createObjectNode().put("op", "add").put("path", "/x").put("value", 1)), "ok");
        try (AdmissionServer s = AdmissionServer.start("127.0.0.1", 0, km, h)) {
            HttpResponse<String> r = post(client(ca.certificate()), s.url());
            assertEquals(200, r.statusCode());
            JsonNode body = JSON.readTree(r.body());
            assertEquals("abc", body.at("/response/uid").asText());
            assertTrue(body.at("/response/allowed").asBoolean());
            assertEquals("JSONPatch", body.at("/response/patchType").asText());
            assertEquals(1, s.requests().total());
            assertEquals("CREATE", s.requests().entries().get(0).operation());
        }
    }

    @Test
    void handlerErrorsDenyAndGarbageGets400() throws Exception {
        RunCertificateAuthority ca = RunCertificateAuthority.create("t");
        AdmissionHandler broken = req -> {
            throw new IllegalStateException("boom");
        };
        try (AdmissionServer s = AdmissionServer.start("127.0.0.1", 0, ca.issueServing(List.of("127.0.0.1")), broken)) {
            HttpClient c = client(ca.certificate());
            JsonNode body = JSON.readTree(post(c, s.url()).body());
            assertEquals(false, body.at("/response/allowed").asBoolean(true));
            HttpResponse<String> bad = c.send(HttpRequest.newBuilder(URI.create(s.url()))
                    .POST(HttpRequest.BodyPublishers.ofString("not json")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode());
            assertEquals(1, s.requests().transportErrors());
        }
    }

    /**
     * The JDK refuses TLS 1.0/1.1 on its own (jdk.tls.disabledAlgorithms), so a JDK client asking for
     * TLS 1.1 fails before the server has a say. Here the probe runs in a JVM with that ban lifted: a
     * control handshake shows the TLS 1.1-only client works against a server that allows it, and then
     * only the webhook server's own protocol list can refuse it.
     */
    @Test
    void refusesTlsOlderThan12(@TempDir Path tmp) throws Exception {
        Path security = tmp.resolve("tls11.security");
        Files.writeString(security, "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, MD5withRSA, DH keySize < 1024, "
                + "EC keySize < 224, 3DES_EDE_CBC, anon, NULL\n");
        ChildJvm.Result r = ChildJvm.main(Map.of(), List.of("-Djava.security.properties=" + security), TlsProbe.class.getName(), 60);
        assertEquals(0, r.exit(), r.toString());
        Map<String, String> probes = new HashMap<>();
        r.out().lines().filter(l -> l.contains("=")).forEach(l -> probes.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        assertEquals("TLSv1.1", probes.get("control"), "the client offers TLS 1.1 and it works where allowed: " + r);
        assertTrue(probes.getOrDefault("tls11", "").startsWith("refused: "), "the webhook refuses TLS 1.1: " + r);
        assertTrue(probes.get("tls11").contains("protocol_version") || probes.get("tls11").contains("protocol"), r.toString());
        assertEquals("TLSv1.2", probes.get("tls12"), "and speaks TLS 1.2: " + r);
    }

    @Test
    void reloadsTheKeyPairWithoutDroppingRequests() throws Exception {
        RunCertificateAuthority ca = RunCertificateAuthority.create("t");
        KeyMaterial first = ca.issueServing(List.of("127.0.0.1"));
        try (AdmissionServer s = AdmissionServer.start("127.0.0.1", 0, first, r -> AdmissionResponse.allow());
                ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                HttpClient c = client(ca.certificate()); // new connections, so handshakes race the reloads
                results.add(pool.submit(() -> post(c, s.url()).statusCode()));
                if (i % 40 == 20) {
                    s.reload(ca.issueServing(List.of("127.0.0.1")));
                }
            }
            for (Future<Integer> f : results) {
                assertEquals(200, f.get());
            }
            HttpResponse<String> after = post(client(ca.certificate()), s.url());
            SSLSession session = after.sslSession().orElseThrow();
            X509Certificate served = (X509Certificate) session.getPeerCertificates()[0];
            assertNotEquals(first.leaf().getSerialNumber(), served.getSerialNumber());
            assertEquals(s.material().leaf().getSerialNumber(), served.getSerialNumber());
        }
    }

    /**
     * The API server (1.30+) negotiates HTTP/2 with a loopback webhook: concurrent admissions then share
     * one connection, so one TLS handshake, instead of one handshake per admission beyond the idle pool.
     */
    @Test
    void concurrentAdmissionsShareOneHttp2Connection() throws Exception {
        RunCertificateAuthority ca = RunCertificateAuthority.create("t");
        try (AdmissionServer s = AdmissionServer.start("127.0.0.1", 0, ca.issueServing(List.of("127.0.0.1")), r -> AdmissionResponse.allow());
                ExecutorService pool = Executors.newFixedThreadPool(16)) {
            HttpClient c = client(ca.certificate()); // the JDK client asks for h2 first, as Go's does
            HttpResponse<String> first = post(c, s.url()); // one connection up before the burst
            assertEquals(HttpClient.Version.HTTP_2, first.version());
            List<Future<HttpResponse<String>>> burst = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                burst.add(pool.submit(() -> post(c, s.url())));
            }
            for (Future<HttpResponse<String>> f : burst) {
                HttpResponse<String> r = f.get();
                assertEquals(200, r.statusCode());
                assertEquals(HttpClient.Version.HTTP_2, r.version());
                assertTrue(JSON.readTree(r.body()).at("/response/allowed").asBoolean());
            }
            assertEquals(65, s.requests().total());
            assertEquals(65, s.http2Requests());
            assertEquals(1, s.connections(), "65 admissions over HTTP/2 need one connection, one handshake");
        }
    }

    /** The kind provider's webhook is not on loopback, so its API server speaks HTTP/1.1: that must keep working. */
    @Test
    void servesHttp11ClientsAndRefusesOversizedBodies() throws Exception {
        RunCertificateAuthority ca = RunCertificateAuthority.create("t");
        try (AdmissionServer s = AdmissionServer.start("127.0.0.1", 0, ca.issueServing(List.of("127.0.0.1")), r -> AdmissionResponse.allow())) {
            HttpClient h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(trusting(ca.certificate())).build();
            HttpResponse<String> r = post(h1, s.url());
            assertEquals(200, r.statusCode());
            assertEquals(HttpClient.Version.HTTP_1_1, r.version());
            assertEquals(0, s.http2Requests());
            HttpResponse<String> get = h1.send(HttpRequest.newBuilder(URI.create(s.url())).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, get.statusCode());
            byte[] huge = new byte[(8 << 20) + 1];
            java.util.Arrays.fill(huge, (byte) ' ');
            HttpResponse<String> big = h1.send(HttpRequest.newBuilder(URI.create(s.url())).POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, big.statusCode());
            assertEquals(1, s.requests().transportErrors());
            assertEquals(1, s.requests().total(), "only the first POST was an admission");
        }
    }

    private static SSLContext trusting(X509Certificate ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * A decision the handler can make from memory is answered on the event loop; one that may block
     * (an owner lookup that must ask the API server) on a virtual thread; a failing fast path fails closed.
     */
    @Test
    void decidesOnTheEventLoopWhenItCanAndOnAVirtualThreadWhenItMayBlock() throws Exception {
        RunCertificateAuthority ca = RunCertificateAuthority.create("t");
        List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        String[] mode = {"quick"};
        AdmissionHandler h = new AdmissionHandler() {
            @Override
            public AdmissionResponse handle(AdmissionRequest request) {
                calls.add("handle virtual=" + Thread.currentThread().isVirtual());
                return AdmissionResponse.deny("slow path");
            }

            @Override
            public AdmissionResponse handleWithoutBlocking(AdmissionRequest request) {
                calls.add("quick on " + (Thread.currentThread().getName().startsWith("vert.x-eventloop") ? "event loop" : Thread.currentThread().getName()));
                return switch (mode[0]) {
                    case "quick" -> AdmissionResponse.allow();
                    case "slow" -> null;
                    default -> throw new IllegalStateException("boom");
                };
            }
        };
        try (AdmissionServer s = AdmissionServer.start("127.0.0.1", 0, ca.issueServing(List.of("127.0.0.1")), h)) {
            HttpClient c = client(ca.certificate());
            assertTrue(JSON.readTree(post(c, s.url()).body()).at("/response/allowed").asBoolean());
            assertEquals(List.of("quick on event loop"), calls);
            calls.clear();
            mode[0] = "slow";
            JsonNode slow = JSON.readTree(post(c, s.url()).body());
            assertEquals("slow path", slow.at("/response/status/message").asText());
            assertEquals(List.of("quick on event loop", "handle virtual=true"), calls);
            calls.clear();
            mode[0] = "broken";
            JsonNode broken = JSON.readTree(post(c, s.url()).body());
            assertEquals(false, broken.at("/response/allowed").asBoolean(true), "fail closed");
            assertTrue(broken.at("/response/status/message").asText().contains("boom"), broken.toString());
            assertEquals(List.of("quick on event loop"), calls, "a failed fast path is a denial, not a second try");
            assertEquals(3, s.requests().total());
            assertEquals(1, s.decidedOffLoop());
        }
    }

    /**
     * The settings the API server's HTTP/2 client gets: with the protocol's default 64 KiB windows a burst of
     * admissions queued its bodies behind window updates for seconds (docs/benchmarks.md), and one ran past
     * the API server's 5 s deadline, which fails the pod's creation. Read with a Vert.x client because the
     * JDK's does not expose what the server announced.
     */
    @Test
    void announcesWideFlowControlWindowsAndManyStreams() throws Exception {
        RunCertificateAuthority ca = RunCertificateAuthority.create("t");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try (AdmissionServer s = AdmissionServer.start("127.0.0.1", 0, ca.issueServing(List.of("127.0.0.1")), r -> AdmissionResponse.allow())) {
            io.vertx.core.http.HttpClient c = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setSsl(true).setUseAlpn(true)
                    .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setTrustOptions(io.vertx.core.net.TrustOptions.wrap(tmf)));
            io.vertx.core.http.Http2Settings announced = c.request(io.vertx.core.http.HttpMethod.POST, s.port(), "127.0.0.1", AdmissionServer.PATH)
                    .compose(req -> req.send(REVIEW).map(resp -> {
                        assertEquals(200, resp.statusCode());
                        return req.connection().remoteSettings();
                    }))
                    .toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(AdmissionServer.STREAM_WINDOW, announced.getInitialWindowSize());
            assertEquals(AdmissionServer.MAX_STREAMS, announced.getMaxConcurrentStreams());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
