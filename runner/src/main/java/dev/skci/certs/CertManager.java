package dev.skci.certs;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The cert-manager objects behind the webhook's serving certificate, and how to read them. A
 * self-signed Issuer signs a CA Certificate, a CA Issuer built on it signs the serving Certificate,
 * whose SANs cover the address the API server uses to reach the runner; cert-manager's cainjector copies
 * that CA into the webhook's caBundle ({@code cert-manager.io/inject-ca-from}). Everything lives in one
 * namespace owned by the run's root, so it goes away with the run (SimKube leaves its Secret behind).
 *
 * <p>{@link CertManagerIssuance} creates and repairs these objects; {@link CertManagerStatus} only reads them.
 */
public final class CertManager {
    public static final String GROUP = "cert-manager.io";
    public static final String SELF_SIGNED_ISSUER = "skci-selfsigned";
    public static final String CA_CERTIFICATE = "skci-ca";
    public static final String CA_ISSUER = "skci-ca";
    public static final String SERVING_CERTIFICATE = "skci-webhook";
    public static final String SERVING_SECRET = "skci-webhook-tls";

    public static final ResourceDefinitionContext ISSUERS = context("Issuer", "issuers");
    public static final ResourceDefinitionContext CERTIFICATES = context("Certificate", "certificates");
    public static final ResourceDefinitionContext CERTIFICATE_REQUESTS = context("CertificateRequest", "certificaterequests");

    private CertManager() {}

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    /** True when the cluster serves cert-manager's Certificate and Issuer kinds. */
    public static boolean installed(KubernetesClient client) {
        return client.apiextensions().v1().customResourceDefinitions().withName("certificates.cert-manager.io").get() != null
                && client.apiextensions().v1().customResourceDefinitions().withName("issuers.cert-manager.io").get() != null;
    }

    /** {@code <namespace>/<certificate>}, the value of the webhook configuration's inject-ca-from annotation. */
    public static String injectCaFrom(String namespace) {
        return namespace + "/" + SERVING_CERTIFICATE;
    }

    static GenericKubernetesResource resource(String namespace, String kind, String name, OwnerReference owner,
            Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(GROUP + "/v1").withKind(kind)
                .withNewMetadata().withName(name).withNamespace(namespace).withOwnerReferences(owner).endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    static GenericKubernetesResource selfSignedIssuer(String ns, OwnerReference owner) {
        return resource(ns, "Issuer", SELF_SIGNED_ISSUER, owner, Map.of("selfSigned", Map.of()));
    }

    static GenericKubernetesResource caCertificate(String ns, OwnerReference owner) {
        return resource(ns, "Certificate", CA_CERTIFICATE, owner, Map.of(
                "isCA", true,
                "commonName", "skci webhook CA",
                "secretName", CA_CERTIFICATE,
                "privateKey", Map.of("algorithm", "ECDSA", "size", 256),
                "issuerRef", Map.of("name", SELF_SIGNED_ISSUER, "kind", "Issuer", "group", GROUP)));
    }

    static GenericKubernetesResource caIssuer(String ns, OwnerReference owner) {
        return resource(ns, "Issuer", CA_ISSUER, owner, Map.of("ca", Map.of("secretName", CA_CERTIFICATE)));
    }

    static GenericKubernetesResource servingCertificate(String ns, OwnerReference owner, String webhookHost) {
        boolean ip = RunCertificateAuthority.isIp(webhookHost);
        return resource(ns, "Certificate", SERVING_CERTIFICATE, owner, Map.of(
                "secretName", SERVING_SECRET,
                "commonName", webhookHost,
                ip ? "ipAddresses" : "dnsNames", List.of(webhookHost),
                "duration", "24h",
                "usages", List.of("server auth", "digital signature", "key encipherment"),
                "privateKey", Map.of("algorithm", "ECDSA", "size", 256, "rotationPolicy", "Always"),
                "issuerRef", Map.of("name", CA_ISSUER, "kind", "Issuer", "group", GROUP)));
    }

    /** The object's Ready condition ({@code type, status, reason, message}), or null when it has none yet. */
    static Map<?, ?> readyCondition(GenericKubernetesResource r) {
        Object status = r.getAdditionalProperties().get("status");
        if (status instanceof Map<?, ?> s && s.get("conditions") instanceof List<?> conditions) {
            for (Object o : conditions) {
                if (o instanceof Map<?, ?> c && "Ready".equals(c.get("type"))) {
                    return c;
                }
            }
        }
        return null;
    }

    static boolean ready(GenericKubernetesResource r) {
        Map<?, ?> c = r == null ? null : readyCondition(r);
        return c != null && "True".equals(c.get("status"));
    }

    /** True when cert-manager gave up on issuing this Certificate (it then backs off for an hour). */
    static boolean issuanceFailed(GenericKubernetesResource r) {
        return r != null && r.getAdditionalProperties().get("status") instanceof Map<?, ?> s && s.get("lastFailureTime") != null;
    }

    static String conditionMessage(GenericKubernetesResource r) {
        Map<?, ?> c = readyCondition(r);
        return c == null ? "no Ready condition" : c.get("reason") + ": " + c.get("message");
    }

    static KeyMaterial parse(Secret s) {
        Map<String, String> data = s.getData();
        if (data == null || !data.containsKey("tls.crt") || !data.containsKey("tls.key") || !data.containsKey("ca.crt")) {
            throw new IllegalArgumentException("it needs tls.crt, tls.key and ca.crt");
        }
        List<X509Certificate> chain = Pem.certificates(decode(data.get("tls.crt")));
        List<X509Certificate> ca = Pem.certificates(decode(data.get("ca.crt")));
        if (chain.isEmpty() || ca.isEmpty()) {
            throw new IllegalArgumentException("tls.crt or ca.crt holds no certificate");
        }
        PrivateKey key = Pem.privateKey(decode(data.get("tls.key")));
        return new KeyMaterial(key, chain.toArray(X509Certificate[]::new), ca.get(0));
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    /** Proves the key belongs to the certificate by signing with one and verifying with the other. */
    static boolean keyMatches(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        Signature sign = Signature.getInstance(alg);
        sign.initSign(key);
        sign.update(challenge);
        byte[] sig = sign.sign();
        Signature verify = Signature.getInstance(alg);
        verify.initVerify(cert.getPublicKey());
        verify.update(challenge);
        return verify.verify(sig);
    }

    static boolean coversHost(X509Certificate cert, String host) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null) {
                return false;
            }
            for (List<?> san : sans) {
                if (host.equalsIgnoreCase(String.valueOf(san.get(1)))) {
                    return true;
                }
            }
            return false;
        } catch (CertificateParsingException e) {
            return false;
        }
    }
}
