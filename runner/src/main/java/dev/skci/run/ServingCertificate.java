package dev.skci.run;

import dev.skci.readiness.Gates;
import dev.skci.readiness.WebhookGates;
import dev.skci.webhook.AdmissionServer;
import dev.skci.webhook.tls.CertManagerCertificates;
import dev.skci.webhook.tls.KeyMaterial;
import dev.skci.webhook.tls.RunCertificateAuthority;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Optional;

/**
 * Where the webhook's serving certificate comes from. cert-manager is the default wherever it runs
 * (the machine image, the local cluster); the runner's own CA is the fallback for clusters without it,
 * and it is only used when chosen ({@code --webhook-cert self-signed}), never silently.
 */
sealed interface ServingCertificate permits ServingCertificate.FromCertManager, ServingCertificate.FromRunCa {

    /** Issues the certificate (passing the gates on the way) and returns the key pair to serve. */
    KeyMaterial issue(Gates gates, WebhookGates webhookGates, OwnerReference root) throws InterruptedException;

    /** The caBundle to register, or null when cert-manager's cainjector fills it. */
    String registeredCaBundle();

    Optional<String> injectCaFrom();

    /** The CA the caBundle must equal. */
    String expectedCaPem();

    /** The key pair the server must present. */
    KeyMaterial expectedServing();

    /** Keeps the server's key pair current (cert-manager reissues); a no-op for the run's own CA. */
    void follow(AdmissionServer server);

    void close();

    /** cert-manager-issued, in the run's certificate namespace; reissues are followed. */
    final class FromCertManager implements ServingCertificate {
        private final CertManagerCertificates certs;
        private SharedIndexInformer<Secret> watch;

        FromCertManager(CertManagerCertificates certs) {
            this.certs = certs;
        }

        @Override
        public KeyMaterial issue(Gates gates, WebhookGates wg, OwnerReference root) throws InterruptedException {
            certs.create(root);
            gates.pass(wg.issuers(certs));
            gates.pass(wg.certificate(certs));
            gates.pass(wg.secret(certs));
            return certs.material().orElseThrow(() -> new IllegalStateException("the serving Secret vanished"));
        }

        @Override
        public String registeredCaBundle() {
            return null;
        }

        @Override
        public Optional<String> injectCaFrom() {
            return Optional.of(certs.injectCaFrom());
        }

        @Override
        public String expectedCaPem() {
            return certs.caPem().orElse(null);
        }

        @Override
        public KeyMaterial expectedServing() {
            return certs.material().orElse(null);
        }

        @Override
        public void follow(AdmissionServer server) {
            watch = certs.watch(server::reload);
        }

        @Override
        public void close() {
            if (watch != null) {
                watch.stop();
            }
        }
    }

    /** The runner's own throw-away CA. */
    final class FromRunCa implements ServingCertificate {
        private final RunCertificateAuthority ca;
        private final String host;
        private KeyMaterial material;

        FromRunCa(String runName, String host) {
            this.ca = RunCertificateAuthority.create(runName);
            this.host = host;
        }

        @Override
        public KeyMaterial issue(Gates gates, WebhookGates wg, OwnerReference root) {
            material = ca.issueServing(List.of(host));
            return material;
        }

        @Override
        public String registeredCaBundle() {
            return material.caPem();
        }

        @Override
        public Optional<String> injectCaFrom() {
            return Optional.empty();
        }

        @Override
        public String expectedCaPem() {
            return material.caPem();
        }

        @Override
        public KeyMaterial expectedServing() {
            return material;
        }

        @Override
        public void follow(AdmissionServer server) {}

        @Override
        public void close() {}
    }
}
