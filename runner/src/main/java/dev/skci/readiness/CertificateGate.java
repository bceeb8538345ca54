package dev.skci.readiness;

import dev.skci.certs.CertManagerStatus;

/** The webhook's serving Certificate is Ready. */
final class CertificateGate extends CertManagerGates {
    @Override
    public String id() {
        return "certificate";
    }

    @Override
    public String description() {
        return "the webhook's Certificate is Ready";
    }

    @Override
    String check(CertManagerStatus status) {
        return status.certificateMissing();
    }

    @Override
    public String hint(GateContext c) {
        return "'kubectl -n " + namespace(c) + " describe certificates' and " + c.cluster().logHint("cert-manager-controller.log");
    }
}
