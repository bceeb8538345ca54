package dev.skci.readiness;

import dev.skci.certs.KeyMaterial;
import dev.skci.webhook.AdmissionServer;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** The webhook server presents exactly the certificate from the Secret (or the run CA's). */
final class WebhookServingGate implements Gate {
    @Override
    public String id() {
        return "webhook-serving";
    }

    @Override
    public String description() {
        return "the webhook server presents the serving certificate";
    }

    @Override
    public Phase phase() {
        return Phase.WEBHOOK;
    }

    @Override
    public String check(GateContext c) throws Exception {
        KeyMaterial want = c.certificate().map(cert -> cert.expectedServing()).orElse(null);
        if (want == null) {
            return "no serving certificate to compare with yet";
        }
        AdmissionServer server = c.webhookServer().orElseThrow(() -> new IllegalStateException("no webhook server yet"));
        X509Certificate presented = presentedCertificate(server.host(), server.port());
        if (!Arrays.equals(presented.getEncoded(), want.leaf().getEncoded())) {
            return "the server presents certificate serial " + presented.getSerialNumber() + ", the Secret holds serial "
                    + want.leaf().getSerialNumber();
        }
        presented.verify(want.ca().getPublicKey());
        return null;
    }

    @Override
    public String hint(GateContext c) {
        return "the runner's own log (--debug)";
    }

    /** Connects like the API server would and returns the leaf the server presents (trust is checked by the caller). */
    static X509Certificate presentedCertificate(String host, int port) throws Exception {
        X509Certificate[] seen = new X509Certificate[1];
        TrustManager capture = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen[0] = chain[0];
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {capture}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(host, port)) {
            s.setSoTimeout(5000);
            s.startHandshake();
        }
        if (seen[0] == null) {
            throw new IllegalStateException("the server presented no certificate");
        }
        return seen[0];
    }
}
