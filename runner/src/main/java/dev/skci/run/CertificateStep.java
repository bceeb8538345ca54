package dev.skci.run;

import dev.skci.certs.ServingCertificate;

/**
 * Asks for the webhook's serving certificate: cert-manager's chain of Issuers and Certificates (created
 * and repaired by a reconciler while the certificate gates watch), or skci's own CA with
 * {@code --webhook-cert self-signed}.
 */
final class CertificateStep implements Step<Simulation> {
    @Override
    public String id() {
        return "certificate";
    }

    @Override
    public String description() {
        return "the webhook's serving certificate (cert-manager, or skci's own CA when chosen)";
    }

    @Override
    public void run(Simulation s, Teardowns teardowns) {
        s.certificate = s.certManagerIssues()
                ? ServingCertificate.fromCertManager(s.client, s.runName, s.cluster.webhookHost())
                : ServingCertificate.fromRunCa(s.runName, s.cluster.webhookHost());
        teardowns.push("certificate", s.certificate::close);
        s.certificate.start(s.rootRef());
    }
}
