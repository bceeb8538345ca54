package dev.skci.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.cluster.local.LocalCluster;
import dev.skci.testing.ClusterTest;
import dev.skci.testing.Poll;
import dev.skci.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * cert-manager really works on the local cluster: the controller issues a CA and a serving certificate,
 * the cainjector copies the CA into a webhook configuration, and a cainjector that starts late leaves the
 * caBundle empty until it runs (the postmortem's timeline).
 */
@ClusterTest
class CertManagerTest {
    private static final ResourceDefinitionContext ISSUER = context("Issuer", "issuers");
    private static final ResourceDefinitionContext CERTIFICATE = context("Certificate", "certificates");

    @Test
    void issuesACaAndAServingCertificateAndInjectsTheCa(KubernetesClient client, TestNamespace ns) throws Exception {
        Secret serving = issueServingCertificate(client, ns.name());
        X509Certificate leaf = x509(serving.getData().get("tls.crt"));
        X509Certificate ca = x509(serving.getData().get("ca.crt"));
        leaf.verify(ca.getPublicKey()); // signed by the CA Issuer, not self-signed
        assertNotEquals(leaf.getSubjectX500Principal(), ca.getSubjectX500Principal());
        assertTrue(leaf.getSubjectAlternativeNames().toString().contains("webhook." + ns.name() + ".svc"));

        String mwc = "skci-test-" + ns.name();
        try {
            createInjectableWebhook(client, mwc, ns.name());
            String bundle = Poll.until(Duration.ofSeconds(30), "the cainjector to fill the caBundle", () -> caBundle(client, mwc));
            assertEquals(serving.getData().get("ca.crt"), bundle);
        } finally {
            client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(mwc).delete();
        }
    }

    @Test
    void aLateCainjectorLeavesTheCaBundleEmptyUntilItStarts(KubernetesClient client, TestNamespace ns, LocalCluster cluster)
            throws Exception {
        CertManagerProcesses cm = cluster.certManager().orElseThrow();
        Secret serving = issueServingCertificate(client, ns.name());
        String mwc = "skci-test-late-" + ns.name();
        cm.stopCainjector();
        try {
            assertFalse(cm.cainjectorRunning());
            createInjectableWebhook(client, mwc, ns.name());
            Thread.sleep(3_000);
            assertEquals(null, caBundle(client, mwc), "nothing may inject while the cainjector is down");

            cm.startCainjector();

            assertTrue(cm.cainjectorRunning());
            String bundle = Poll.until(Duration.ofSeconds(30), "the restarted cainjector to fill the caBundle", () -> caBundle(client, mwc));
            assertEquals(serving.getData().get("ca.crt"), bundle);
        } finally {
            cm.startCainjector();
            client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(mwc).delete();
        }
    }

    /** Self-signed Issuer -> CA Certificate -> CA Issuer -> serving Certificate; returns the serving Secret once Ready. */
    static Secret issueServingCertificate(KubernetesClient client, String ns) {
        apply(client, ISSUER, ns, "selfsigned", Map.of("selfSigned", Map.of()));
        apply(client, CERTIFICATE, ns, "ca", Map.of(
                "isCA", true,
                "commonName", "skci-test-ca",
                "secretName", "ca",
                "privateKey", Map.of("algorithm", "ECDSA", "size", 256),
                "issuerRef", Map.of("name", "selfsigned", "kind", "Issuer")));
        apply(client, ISSUER, ns, "ca", Map.of("ca", Map.of("secretName", "ca")));
        apply(client, CERTIFICATE, ns, "serving", Map.of(
                "secretName", "serving",
                "dnsNames", List.of("webhook." + ns + ".svc"),
                "privateKey", Map.of("algorithm", "ECDSA", "size", 256),
                "issuerRef", Map.of("name", "ca", "kind", "Issuer")));
        Poll.until(Duration.ofSeconds(60), "Certificate " + ns + "/serving to be Ready", () -> ready(client, ns, "serving"));
        return client.secrets().inNamespace(ns).withName("serving").get();
    }

    /** A webhook that can never be called (no namespace matches), annotated for CA injection. */
    static void createInjectableWebhook(KubernetesClient client, String name, String ns) {
        MutatingWebhookConfiguration mwc = new MutatingWebhookConfigurationBuilder()
                .withNewMetadata().withName(name)
                    .addToAnnotations("cert-manager.io/inject-ca-from", ns + "/serving")
                .endMetadata()
                .addNewWebhook()
                    .withName("test.skci.dev")
                    .withNewClientConfig().withUrl("https://127.0.0.1:9/mutate").endClientConfig()
                    .withNewNamespaceSelector().addToMatchLabels("skci.dev/never", "true").endNamespaceSelector()
                    .addNewRule().withApiGroups("").withApiVersions("v1").withResources("pods").withOperations("CREATE").endRule()
                    .withFailurePolicy("Ignore")
                    .withSideEffects("None")
                    .withAdmissionReviewVersions("v1")
                .endWebhook()
                .build();
        client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(mwc).create();
    }

    private static String caBundle(KubernetesClient client, String mwc) {
        String b = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(mwc).get()
                .getWebhooks().getFirst().getClientConfig().getCaBundle();
        return b == null || b.isEmpty() ? null : b;
    }

    private static boolean ready(KubernetesClient client, String ns, String name) {
        GenericKubernetesResource c = client.genericKubernetesResources(CERTIFICATE).inNamespace(ns).withName(name).get();
        if (c == null || !(c.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
            return false;
        }
        if (!(status.get("conditions") instanceof List<?> conditions)) {
            return false;
        }
        return conditions.stream().anyMatch(o -> o instanceof Map<?, ?> m && "Ready".equals(m.get("type")) && "True".equals(m.get("status")));
    }

    private static void apply(KubernetesClient client, ResourceDefinitionContext ctx, String ns, String name, Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("cert-manager.io/v1");
        r.setKind(ctx.getKind());
        r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        r.setAdditionalProperty("spec", spec);
        client.genericKubernetesResources(ctx).inNamespace(ns).resource(r).create();
    }

    private static X509Certificate x509(String base64Pem) throws Exception {
        byte[] pem = Base64.getDecoder().decode(base64Pem);
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("cert-manager.io").withVersion("v1")
                .withKind(kind).withPlural(plural).withNamespaced(true).build();
    }
}
