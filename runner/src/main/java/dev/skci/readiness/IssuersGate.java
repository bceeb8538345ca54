package dev.skci.readiness;

import dev.skci.certs.CertManagerStatus;

/** The self-signed Issuer, the CA Certificate and the CA Issuer are Ready. */
final class IssuersGate extends CertManagerGates {
    @Override
    public String id() {
        return "issuers";
    }

    @Override
    public String description() {
        return "the self-signed and CA Issuers are Ready";
    }

    @Override
    String check(CertManagerStatus status) {
        return status.issuersMissing();
    }

    @Override
    public String hint(GateContext c) {
        return "'kubectl -n " + namespace(c) + " describe issuers' and " + c.cluster().logHint("cert-manager-controller.log");
    }
}
