package dev.skci.webhook.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.cluster.CertManagerProcesses;
import dev.skci.cluster.Cluster;
import dev.skci.testing.ClusterTest;
import dev.skci.testing.Poll;
import dev.skci.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** cert-manager issuing the webhook's certificate, including recovery from a failed issuance. */
@ClusterTest
class CertManagerCertificatesClusterTest {

    private static io.fabric8.kubernetes.api.model.OwnerReference owner(KubernetesClient client, String ns) {
        ConfigMap cm = client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("owner").endMetadata().build()).create();
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName("owner")
                .withUid(cm.getMetadata().getUid()).build();
    }

    @Test
    void issuesAKeyPairWhoseSansCoverTheWebhookHost(Cluster cluster, TestNamespace ns) {
        KubernetesClient client = cluster.client();
        CertManagerCertificates certs = new CertManagerCertificates(client, ns.name(), "127.0.0.1");
        certs.create(owner(client, ns.name()));
        Poll.until(Duration.ofSeconds(60), "the Issuers", () -> certs.issuersMissing() == null);
        Poll.until(Duration.ofSeconds(60), "the Certificate", () -> certs.certificateMissing() == null);
        Poll.until(Duration.ofSeconds(30), "the Secret", () -> certs.secretProblem() == null);
        KeyMaterial m = certs.material().orElseThrow();
        assertTrue(CertManagerCertificates.coversHost(m.leaf(), "127.0.0.1"));
        assertEquals(ns.name() + "/" + CertManagerCertificates.SERVING_CERTIFICATE, certs.injectCaFrom());
        assertEquals(0, certs.reissues());
    }

    /**
     * cert-manager v1.11 can give up on an issuance after a cache race and back off for an hour. The
     * controller is stopped so nothing reconciles, the CA Certificate is given exactly that failed
     * status, and the gate check must recreate it; once the controller runs again, it is issued.
     */
    @Test
    void aFailedIssuanceIsRetriedByRecreatingTheCertificate(Cluster cluster, TestNamespace ns) {
        KubernetesClient client = cluster.client();
        CertManagerProcesses cm = cluster.certManager().orElseThrow();
        cm.stopController();
        try {
            CertManagerCertificates certs = new CertManagerCertificates(client, ns.name(), "127.0.0.1");
            certs.create(owner(client, ns.name()));
            // As in the real race: the self-signed Issuer is Ready, the CA's issuance failed.
            var issuer = client.genericKubernetesResources(CertManagerCertificates.ISSUERS).inNamespace(ns.name())
                    .withName(CertManagerCertificates.SELF_SIGNED_ISSUER);
            GenericKubernetesResource ready = issuer.get();
            ready.getAdditionalProperties().put("status", Map.of("conditions", List.of(Map.of("type", "Ready",
                    "status", "True", "reason", "IsReady", "lastTransitionTime", Instant.now().toString()))));
            issuer.updateStatus(ready);
            var ca = client.genericKubernetesResources(CertManagerCertificates.CERTIFICATES).inNamespace(ns.name())
                    .withName(CertManagerCertificates.CA_CERTIFICATE);
            String uidBefore = ca.get().getMetadata().getUid();
            GenericKubernetesResource failed = ca.get();
            failed.getAdditionalProperties().put("status", Map.of(
                    "lastFailureTime", Instant.now().toString(),
                    "conditions", List.of(Map.of("type", "Ready", "status", "False", "reason", "Failed",
                            "message", "CSR not signed by referenced private key",
                            "lastTransitionTime", Instant.now().toString()))));
            ca.updateStatus(failed);

            String missing = certs.issuersMissing();
            assertNotNull(missing);
            assertEquals(1, certs.reissues());
            assertNotEquals(uidBefore, ca.get().getMetadata().getUid(), "the Certificate was created again");

            cm.startController();
            Poll.until(Duration.ofSeconds(60), "the CA to be issued after the retry", () -> certs.issuersMissing() == null);
            assertEquals(1, certs.reissues());
        } finally {
            if (!cm.controllerRunning()) {
                cm.startController();
            }
        }
    }
}
