package dev.skci.certs;

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

/** cert-manager issuing the webhook's certificate (the issuance reconciler acts, the status only reads), including recovery from a failed issuance. */
@ClusterTest
class CertManagerIssuanceClusterTest {

    private static io.fabric8.kubernetes.api.model.OwnerReference owner(KubernetesClient client, String ns) {
        ConfigMap cm = client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("owner").endMetadata().build()).create();
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName("owner")
                .withUid(cm.getMetadata().getUid()).build();
    }

    @Test
    @dev.skci.testing.OnKind
    void issuesAKeyPairWhoseSansCoverTheWebhookHost(Cluster cluster, TestNamespace ns) {
        KubernetesClient client = cluster.client();
        String host = cluster.webhookHost(); // 127.0.0.1 locally; on kind, the Docker network's gateway
        CertManagerStatus certs = new CertManagerStatus(client, ns.name(), host);
        try (CertManagerIssuance issuance = new CertManagerIssuance(client, ns.name(), host, owner(client, ns.name()))) {
            issuance.start();
            Poll.until(Duration.ofSeconds(60), "the Issuers", () -> certs.issuersMissing() == null);
            Poll.until(Duration.ofSeconds(60), "the Certificate", () -> certs.certificateMissing() == null);
            Poll.until(Duration.ofSeconds(30), "the Secret", () -> certs.secretProblem() == null);
            KeyMaterial m = certs.material().orElseThrow();
            assertTrue(CertManager.coversHost(m.leaf(), host));
            assertEquals(ns.name() + "/" + CertManager.SERVING_CERTIFICATE, CertManager.injectCaFrom(ns.name()));
            assertEquals(0, issuance.reissues());
        }
    }

    /**
     * cert-manager v1.11 can give up on an issuance after a cache race and back off for an hour. The
     * controller is stopped so nothing reconciles, the CA Certificate is given exactly that failed
     * status, and the issuance must recreate it (the status only reports it); once the controller runs
     * again, it is issued.
     */
    @Test
    void aFailedIssuanceIsRetriedByRecreatingTheCertificate(Cluster cluster, TestNamespace ns) {
        KubernetesClient client = cluster.client();
        CertManagerProcesses cm = cluster.certManager().orElseThrow();
        cm.stopController();
        try {
            CertManagerStatus certs = new CertManagerStatus(client, ns.name(), "127.0.0.1");
            CertManagerIssuance issuance = new CertManagerIssuance(client, ns.name(), "127.0.0.1", owner(client, ns.name()));
            issuance.start();
            // As in the real race: the self-signed Issuer is Ready, the CA's issuance failed.
            var issuer = client.genericKubernetesResources(CertManager.ISSUERS).inNamespace(ns.name())
                    .withName(CertManager.SELF_SIGNED_ISSUER);
            GenericKubernetesResource ready = issuer.get();
            ready.getAdditionalProperties().put("status", Map.of("conditions", List.of(Map.of("type", "Ready",
                    "status", "True", "reason", "IsReady", "lastTransitionTime", Instant.now().toString()))));
            issuer.updateStatus(ready);
            var ca = client.genericKubernetesResources(CertManager.CERTIFICATES).inNamespace(ns.name())
                    .withName(CertManager.CA_CERTIFICATE);
            String uidBefore = ca.get().getMetadata().getUid();
            GenericKubernetesResource failed = ca.get();
            failed.getAdditionalProperties().put("status", Map.of(
                    "lastFailureTime", Instant.now().toString(),
                    "conditions", List.of(Map.of("type", "Ready", "status", "False", "reason", "Failed",
                            "message", "CSR not signed by referenced private key",
                            "lastTransitionTime", Instant.now().toString()))));
            ca.updateStatus(failed);

            Poll.until(Duration.ofSeconds(10), "the failed Certificate to be created again", () -> {
                var now = ca.get();
                return now != null && !uidBefore.equals(now.getMetadata().getUid());
            });
            String missing = certs.issuersMissing();
            assertNotNull(missing);
            assertEquals(1, issuance.reissues());
            assertNotEquals(uidBefore, ca.get().getMetadata().getUid(), "the Certificate was created again");

            cm.startController();
            Poll.until(Duration.ofSeconds(60), "the CA to be issued after the retry", () -> certs.issuersMissing() == null);
            assertEquals(1, issuance.reissues());
            issuance.close();
        } finally {
            if (!cm.controllerRunning()) {
                cm.startController();
            }
        }
    }
}
