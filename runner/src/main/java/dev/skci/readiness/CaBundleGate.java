package dev.skci.readiness;

import dev.skci.certs.Pem;
import dev.skci.webhook.WebhookRegistration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The caBundle the API server uses must be non-empty and be the CA that signed the server's
 * certificate. With cert-manager, the cainjector writes it; this is where a slow or absent cainjector
 * (the postmortem) is caught, before any pod is created.
 */
final class CaBundleGate implements Gate {
    @Override
    public String id() {
        return "ca-bundle";
    }

    @Override
    public String description() {
        return "the webhook's caBundle is set to the CA of the serving certificate";
    }

    @Override
    public Phase phase() {
        return Phase.WEBHOOK;
    }

    /** Waits out a slow cainjector: the postmortem's took a minute to get its lease. */
    @Override
    public Duration defaultTimeout() {
        return Duration.ofSeconds(180);
    }

    @Override
    public String check(GateContext c) {
        String name = WebhookRegistration.name(c.runName());
        MutatingWebhookConfiguration config = c.client().admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName(name).get();
        if (config == null) {
            return "the MutatingWebhookConfiguration " + name + " does not exist";
        }
        for (MutatingWebhook w : config.getWebhooks()) {
            String b64 = w.getClientConfig().getCaBundle();
            if (b64 == null || b64.isEmpty()) {
                String why = !c.certManagerIssues() ? "" : c.cluster().certManager().map(cm -> cm.cainjectorRunning()
                                ? ": cert-manager's cainjector is running but has not injected the CA (leader lease? see its log)"
                                : ": cert-manager's cainjector is not running, so nothing injects the CA")
                        .orElse(": cert-manager's cainjector has not injected the CA");
                return "the caBundle of " + name + " is empty" + why;
            }
            String expected = c.certificate().map(cert -> cert.expectedCaPem()).orElse(null);
            if (expected == null) {
                return "the serving Secret's CA is not readable yet";
            }
            if (!sameCertificate(new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8), expected)) {
                return "the caBundle of " + name + " is not the CA that signed the serving certificate";
            }
        }
        return null;
    }

    @Override
    public String hint(GateContext c) {
        return (c.certManagerIssues() ? c.cluster().logHint("cert-manager-cainjector.log") + " and " : "")
                + "'kubectl get mutatingwebhookconfiguration " + WebhookRegistration.name(c.runName()) + " -o yaml'";
    }

    static boolean sameCertificate(String pemA, String pemB) {
        List<X509Certificate> a = Pem.certificates(pemA);
        List<X509Certificate> b = Pem.certificates(pemB);
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        try {
            return Arrays.equals(a.get(0).getEncoded(), b.get(0).getEncoded());
        } catch (CertificateEncodingException e) {
            return false;
        }
    }
}
