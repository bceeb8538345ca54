package dev.skci.readiness;

import dev.skci.SkciException;
import dev.skci.certs.CertManager;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.util.List;
import java.util.Optional;

/**
 * cert-manager's controller runs (it issues the certificates) and its cainjector is installed. Whether
 * the cainjector actually works is proven later, and more strongly, by the caBundle gate: a running
 * cainjector can still be stuck (the postmortem's was waiting for a leader lease).
 */
final class CertManagerGate implements Gate {
    @Override
    public String id() {
        return "cert-manager";
    }

    @Override
    public String description() {
        return "cert-manager's controller runs and its cainjector is installed";
    }

    @Override
    public Phase phase() {
        return Phase.CLUSTER;
    }

    @Override
    public Optional<String> notApplicable(GateContext c) {
        return c.certManagerIssues() ? Optional.empty() : Optional.of("skci's own CA was chosen (--webhook-cert self-signed)");
    }

    @Override
    public String check(GateContext c) {
        if (!CertManager.installed(c.client())) {
            throw SkciException.environment("cert-manager is not installed in this cluster (no certificates.cert-manager.io "
                    + "CRD); install it, or pass --webhook-cert self-signed to use skci's own CA");
        }
        if (c.cluster().certManager().isPresent()) {
            return c.cluster().certManager().get().controllerRunning() ? null : "the cert-manager controller process is not running";
        }
        List<Deployment> all = c.client().apps().deployments().inAnyNamespace().withLabel("app.kubernetes.io/instance")
                .list().getItems();
        Deployment controller = byName(all, "cert-manager");
        Deployment cainjector = byName(all, "cainjector");
        if (controller == null && cainjector == null) {
            // cert-manager may run outside the cluster (as in skci's local provider); the Issuer,
            // Certificate and caBundle gates prove that it works.
            return null;
        }
        if (controller == null || !Readiness.isDeploymentReady(controller)) {
            return "the cert-manager controller Deployment has no available replica";
        }
        return cainjector == null ? "cert-manager's controller is deployed but its cainjector is not" : null;
    }

    @Override
    public String hint(GateContext c) {
        return c.cluster().logHint("cert-manager-controller.log") + " and " + c.cluster().logHint("cert-manager-cainjector.log");
    }

    private static Deployment byName(List<Deployment> all, String appName) {
        return all.stream().filter(d -> appName.equals(d.getMetadata().getLabels().get("app.kubernetes.io/name")))
                .findFirst().orElse(null);
    }
}
