package dev.skci.readiness;

import dev.skci.certs.CertManagerStatus;
import java.util.Optional;

/** What the three cert-manager gates share: they apply only when cert-manager issues the certificate. */
abstract class CertManagerGates implements Gate {
    @Override
    public Phase phase() {
        return Phase.CERTIFICATE;
    }

    @Override
    public Optional<String> notApplicable(GateContext c) {
        return c.certManagerIssues() ? Optional.empty() : Optional.of("skci's own CA issued the certificate (--webhook-cert self-signed)");
    }

    @Override
    public String check(GateContext c) {
        return check(c.certManagerStatus().orElseThrow(() -> new IllegalStateException("no cert-manager status before phase "
                + Phase.CERTIFICATE)));
    }

    abstract String check(CertManagerStatus status);

    String namespace(GateContext c) {
        return c.certManagerStatus().map(CertManagerStatus::namespace).orElse(c.runName());
    }
}
