package dev.skci.readiness;

import dev.skci.cluster.Cluster;

import dev.skci.webhook.AdmissionServer;
import dev.skci.webhook.WebhookRegistration;
import dev.skci.webhook.tls.CertManagerCertificates;
import dev.skci.webhook.tls.KeyMaterial;
import dev.skci.webhook.tls.Pem;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The gates about the run's certificate and webhook: cert-manager's Issuers and Certificate, the key
 * pair in the Secret, the caBundle the API server will trust, the certificate the server presents, and
 * finally the proof that matters: a dry-run pod comes back mutated.
 */
public final class WebhookGates {
    private final Cluster cluster;
    private final KubernetesClient client;
    private final String runName;

    public WebhookGates(Cluster cluster, String runName) {
        this.cluster = cluster;
        this.client = cluster.client();
        this.runName = runName;
    }

    private String log(String name) {
        return cluster.logDir().map(d -> d.resolve(name).toString()).orElse("the " + name + " of your cluster");
    }

    public Gate issuers(CertManagerCertificates certs) {
        return Gate.of("issuers", "the self-signed and CA Issuers are Ready",
                "'kubectl -n " + certs.namespace() + " describe issuers' and " + log("cert-manager-controller.log"),
                certs::issuersMissing);
    }

    public Gate certificate(CertManagerCertificates certs) {
        return Gate.of("certificate", "the webhook's Certificate is Ready",
                "'kubectl -n " + certs.namespace() + " describe certificates' and " + log("cert-manager-controller.log"),
                certs::certificateMissing);
    }

    public Gate secret(CertManagerCertificates certs) {
        return Gate.of("secret", "the Secret holds a matching key pair whose SANs cover " + cluster.webhookHost(),
                "'kubectl -n " + certs.namespace() + " get secret " + CertManagerCertificates.SERVING_SECRET + " -o yaml'",
                certs::secretProblem);
    }

    /**
     * The caBundle the API server uses must be non-empty and be the CA that signed the server's
     * certificate. With cert-manager, the cainjector writes it; this is where a slow or absent cainjector
     * (the postmortem) is caught, before any pod is created.
     */
    public Gate caBundle(Supplier<String> expectedCaPem, boolean injectedByCertManager) {
        String name = WebhookRegistration.name(runName);
        return Gate.of("ca-bundle", "the webhook's caBundle is set to the CA of the serving certificate",
                (injectedByCertManager ? log("cert-manager-cainjector.log") + " and " : "")
                        + "'kubectl get mutatingwebhookconfiguration " + name + " -o yaml'", () -> {
            MutatingWebhookConfiguration c = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).get();
            if (c == null) {
                return "the MutatingWebhookConfiguration " + name + " does not exist";
            }
            for (MutatingWebhook w : c.getWebhooks()) {
                String b64 = w.getClientConfig().getCaBundle();
                if (b64 == null || b64.isEmpty()) {
                    String why = !injectedByCertManager ? "" : cluster.certManager().map(cm -> cm.cainjectorRunning()
                                    ? ": cert-manager's cainjector is running but has not injected the CA (leader lease? see its log)"
                                    : ": cert-manager's cainjector is not running, so nothing injects the CA")
                            .orElse(": cert-manager's cainjector has not injected the CA");
                    return "the caBundle of " + name + " is empty" + why;
                }
                String expected = expectedCaPem.get();
                if (expected == null) {
                    return "the serving Secret's CA is not readable yet";
                }
                if (!sameCertificate(new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8), expected)) {
                    return "the caBundle of " + name + " is not the CA that signed the serving certificate";
                }
            }
            return null;
        });
    }

    /** The server must present exactly the certificate from the Secret (or the run CA's). */
    public Gate serving(AdmissionServer server, Supplier<KeyMaterial> expected) {
        return Gate.of("webhook-serving", "the webhook server presents the serving certificate",
                "the runner's own log (--debug)", () -> {
            KeyMaterial want = expected.get();
            if (want == null) {
                return "no serving certificate to compare with yet";
            }
            X509Certificate presented = presentedCertificate(server.host(), server.port());
            if (!Arrays.equals(presented.getEncoded(), want.leaf().getEncoded())) {
                return "the server presents certificate serial " + presented.getSerialNumber() + ", the Secret holds serial "
                        + want.leaf().getSerialNumber();
            }
            presented.verify(want.ca().getPublicKey());
            return null;
        });
    }

    public Gate probe(String namespace) {
        return Gate.of("probe", "a dry-run pod in " + namespace + " comes back mutated (nodeSelector type=virtual)",
                "the API server log and 'skci run --debug'", () -> WebhookProbe.probe(client, namespace));
    }

    static boolean sameCertificate(String pemA, String pemB) {
        List<X509Certificate> a = Pem.certificates(pemA);
        List<X509Certificate> b = Pem.certificates(pemB);
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        try {
            return Arrays.equals(a.get(0).getEncoded(), b.get(0).getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            return false;
        }
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
