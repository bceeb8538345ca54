package dev.skci.certs;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the webhook's serving certificate comes from. cert-manager is the default wherever it runs
 * (the machine image, the local cluster); the runner's own CA is the fallback for clusters without it,
 * and it is only used when chosen ({@code --webhook-cert self-signed}), never silently.
 */
public sealed interface ServingCertificate permits ServingCertificate.FromCertManager, ServingCertificate.FromRunCa {

    /** Starts issuing: cert-manager's objects are created and reconciled; the run's own CA signs at once. */
    void start(OwnerReference root);

    /** What cert-manager says about the certificate, for the gates; empty for the run's own CA. */
    Optional<CertManagerStatus> status();

    /** The key pair to serve, once issued (after the secret gate passed). */
    KeyMaterial material();

    /** The caBundle to register, or null when cert-manager's cainjector fills it. */
    String registeredCaBundle();

    Optional<String> injectCaFrom();

    /** The CA the caBundle must equal, or null when it cannot be read yet. */
    String expectedCaPem();

    /** The key pair the server must present, or null when it cannot be read yet. */
    KeyMaterial expectedServing();

    /** Hands every reissued key pair to {@code reload} (cert-manager renews); a no-op for the run's own CA. */
    void follow(Consumer<KeyMaterial> reload);

    /** Stops reconciling and following. */
    void close();

    static ServingCertificate fromCertManager(KubernetesClient client, String namespace, String webhookHost) {
        return new FromCertManager(client, namespace, webhookHost);
    }

    static ServingCertificate fromRunCa(String runName, String webhookHost) {
        return new FromRunCa(runName, webhookHost);
    }

    /** cert-manager-issued, in the run's certificate namespace; reissues are followed. */
    final class FromCertManager implements ServingCertificate {
        private final KubernetesClient client;
        private final String namespace;
        private final String host;
        private final CertManagerStatus status;
        private CertManagerIssuance issuance;
        private SharedIndexInformer<Secret> watch;

        FromCertManager(KubernetesClient client, String namespace, String host) {
            this.client = client;
            this.namespace = namespace;
            this.host = host;
            this.status = new CertManagerStatus(client, namespace, host);
        }

        @Override
        public void start(OwnerReference root) {
            issuance = new CertManagerIssuance(client, namespace, host, root);
            issuance.start();
        }

        @Override
        public Optional<CertManagerStatus> status() {
            return Optional.of(status);
        }

        @Override
        public KeyMaterial material() {
            return status.material().orElseThrow(() -> new IllegalStateException("the serving Secret vanished"));
        }

        @Override
        public String registeredCaBundle() {
            return null;
        }

        @Override
        public Optional<String> injectCaFrom() {
            return Optional.of(CertManager.injectCaFrom(namespace));
        }

        @Override
        public String expectedCaPem() {
            return status.caPem().orElse(null);
        }

        @Override
        public KeyMaterial expectedServing() {
            return status.material().orElse(null);
        }

        @Override
        public void follow(Consumer<KeyMaterial> reload) {
            watch = status.watch(reload);
        }

        @Override
        public void close() {
            if (watch != null) {
                watch.stop();
            }
            if (issuance != null) {
                issuance.close();
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
        public void start(OwnerReference root) {
            material = ca.issueServing(List.of(host));
        }

        @Override
        public Optional<CertManagerStatus> status() {
            return Optional.empty();
        }

        @Override
        public KeyMaterial material() {
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
        public void follow(Consumer<KeyMaterial> reload) {}

        @Override
        public void close() {}
    }
}
