package dev.skci.readiness;

import dev.skci.certs.CertManager;
import dev.skci.certs.CertManagerStatus;

/** The serving Secret holds a key pair that matches, whose SANs cover the webhook address. */
final class SecretGate extends CertManagerGates {
    @Override
    public String id() {
        return "secret";
    }

    @Override
    public String description() {
        return "the Secret holds a matching key pair whose SANs cover the webhook address";
    }

    @Override
    String check(CertManagerStatus status) {
        return status.secretProblem();
    }

    @Override
    public String hint(GateContext c) {
        return "'kubectl -n " + namespace(c) + " get secret " + CertManager.SERVING_SECRET + " -o yaml'";
    }
}
