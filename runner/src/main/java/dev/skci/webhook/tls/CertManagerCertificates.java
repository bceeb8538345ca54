package dev.skci.webhook.tls;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
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
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The webhook's serving certificate, issued by cert-manager: a self-signed Issuer signs a CA
 * Certificate, a CA Issuer built on it signs the serving Certificate, whose SANs cover the address the
 * API server uses to reach the runner. cert-manager's cainjector copies that CA into the webhook's
 * caBundle ({@code cert-manager.io/inject-ca-from}). Everything lives in one namespace owned by the
 * run's root, so it goes away with the run (SimKube leaves its certificate Secret behind).
 */
public final class CertManagerCertificates {
    public static final String GROUP = "cert-manager.io";
    public static final String SELF_SIGNED_ISSUER = "skci-selfsigned";
    public static final String CA_CERTIFICATE = "skci-ca";
    public static final String CA_ISSUER = "skci-ca";
    public static final String SERVING_CERTIFICATE = "skci-webhook";
    public static final String SERVING_SECRET = "skci-webhook-tls";

    static final int MAX_REISSUES = 3;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CertManagerCertificates.class);

    public static final ResourceDefinitionContext ISSUERS = context("Issuer", "issuers");
    public static final ResourceDefinitionContext CERTIFICATES = context("Certificate", "certificates");
    public static final ResourceDefinitionContext CERTIFICATE_REQUESTS = context("CertificateRequest", "certificaterequests");

    private final KubernetesClient client;
    private final String namespace;
    private final String webhookHost;
    private final Map<String, GenericKubernetesResource> certificates = new java.util.concurrent.ConcurrentHashMap<>();
    private int reissues;
    private OwnerReference owner;
    private boolean caIssuerCreated;
    private boolean servingCreated;

    public CertManagerCertificates(KubernetesClient client, String namespace, String webhookHost) {
        this.client = client;
        this.namespace = namespace;
        this.webhookHost = webhookHost;
    }

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    /** True when the cluster serves cert-manager's Certificate and Issuer kinds. */
    public static boolean installed(KubernetesClient client) {
        return client.apiextensions().v1().customResourceDefinitions().withName("certificates.cert-manager.io").get() != null
                && client.apiextensions().v1().customResourceDefinitions().withName("issuers.cert-manager.io").get() != null;
    }

    public String namespace() {
        return namespace;
    }

    /** How often a failed issuance was retried by recreating its Certificate. */
    public int reissues() {
        return reissues;
    }

    /** {@code <namespace>/<certificate>}, the value of the webhook configuration's inject-ca-from annotation. */
    public String injectCaFrom() {
        return namespace + "/" + SERVING_CERTIFICATE;
    }

    /**
     * Creates the self-signed Issuer and the CA Certificate. The CA Issuer and the serving Certificate
     * follow from {@link #issuersMissing} and {@link #certificateMissing} once what they need exists:
     * created earlier, cert-manager would find the CA Secret missing and only look again seconds later.
     */
    public void create(OwnerReference owner) {
        this.owner = owner;
        create(ISSUERS, resource("Issuer", SELF_SIGNED_ISSUER, owner, Map.of("selfSigned", Map.of())));
        create(CERTIFICATES, resource("Certificate", CA_CERTIFICATE, owner, Map.of(
                "isCA", true,
                "commonName", "skci webhook CA",
                "secretName", CA_CERTIFICATE,
                "privateKey", Map.of("algorithm", "ECDSA", "size", 256),
                "issuerRef", Map.of("name", SELF_SIGNED_ISSUER, "kind", "Issuer", "group", GROUP))));
    }

    private void createCaIssuer() {
        create(ISSUERS, resource("Issuer", CA_ISSUER, owner, Map.of("ca", Map.of("secretName", CA_CERTIFICATE))));
    }

    private void createServingCertificate() {
        boolean ip = RunCertificateAuthority.isIp(webhookHost);
        create(CERTIFICATES, resource("Certificate", SERVING_CERTIFICATE, owner, Map.of(
                "secretName", SERVING_SECRET,
                "commonName", webhookHost,
                ip ? "ipAddresses" : "dnsNames", List.of(webhookHost),
                "duration", "24h",
                "usages", List.of("server auth", "digital signature", "key encipherment"),
                "privateKey", Map.of("algorithm", "ECDSA", "size", 256, "rotationPolicy", "Always"),
                "issuerRef", Map.of("name", CA_ISSUER, "kind", "Issuer", "group", GROUP))));
    }

    private void create(ResourceDefinitionContext ctx, GenericKubernetesResource r) {
        if (ctx == CERTIFICATES) {
            certificates.put(r.getMetadata().getName(), r);
        }
        client.genericKubernetesResources(ctx).inNamespace(namespace).resource(r).create();
    }

    /**
     * cert-manager v1.11 can fail an issuance for good on a cache race (its self-signed issuer reads the
     * new private-key Secret before its informer has it: "CSR not signed by referenced private key"), and
     * then backs off for an hour. A Certificate whose issuance failed is therefore deleted and created
     * again (a new object has no backoff), at most {@value #MAX_REISSUES} times.
     */
    private void retryIfFailed(String name, Map<?, ?> status) {
        if (status.get("lastFailureTime") == null || reissues >= MAX_REISSUES) {
            return;
        }
        reissues++;
        LOG.info("cert-manager failed to issue Certificate {}/{} ({}); creating it again (retry {} of {})", namespace, name,
                conditionMessage(status), reissues, MAX_REISSUES);
        client.genericKubernetesResources(CERTIFICATES).inNamespace(namespace).withName(name).delete();
        client.genericKubernetesResources(CERTIFICATES).inNamespace(namespace).withName(name)
                .waitUntilCondition(c -> c == null, 10, java.util.concurrent.TimeUnit.SECONDS);
        GenericKubernetesResource again = certificates.get(name);
        again.getMetadata().setResourceVersion(null);
        client.genericKubernetesResources(CERTIFICATES).inNamespace(namespace).resource(again).create();
    }

    private static String conditionMessage(Map<?, ?> status) {
        if (status.get("conditions") instanceof List<?> conditions) {
            for (Object o : conditions) {
                if (o instanceof Map<?, ?> c && "Ready".equals(c.get("type"))) {
                    return c.get("reason") + ": " + c.get("message");
                }
            }
        }
        return "no Ready condition";
    }

    private GenericKubernetesResource resource(String kind, String name, OwnerReference owner, Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(GROUP + "/v1").withKind(kind)
                .withNewMetadata().withName(name).withNamespace(namespace).withOwnerReferences(owner).endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    /**
     * Null when both Issuers are Ready, else what is not. The CA Issuer is created here, as soon as the
     * CA Certificate it is built on is Ready.
     */
    public String issuersMissing() {
        String problem = notReady(ISSUERS, "Issuer", SELF_SIGNED_ISSUER);
        if (problem == null) {
            problem = notReady(CERTIFICATES, "Certificate", CA_CERTIFICATE);
        }
        if (problem != null) {
            return problem;
        }
        if (!caIssuerCreated) {
            createCaIssuer();
            caIssuerCreated = true;
        }
        return notReady(ISSUERS, "Issuer", CA_ISSUER);
    }

    /** Null when the serving Certificate is Ready; it is created here once the CA Issuer is Ready. */
    public String certificateMissing() {
        if (!servingCreated) {
            String issuers = issuersMissing();
            if (issuers != null) {
                return issuers;
            }
            createServingCertificate();
            servingCreated = true;
        }
        return notReady(CERTIFICATES, "Certificate", SERVING_CERTIFICATE);
    }

    private String notReady(ResourceDefinitionContext ctx, String kind, String name) {
        GenericKubernetesResource r = client.genericKubernetesResources(ctx).inNamespace(namespace).withName(name).get();
        if (r == null) {
            return kind + " " + namespace + "/" + name + " does not exist";
        }
        Object status = r.getAdditionalProperties().get("status");
        if (status instanceof Map<?, ?> s && s.get("conditions") instanceof List<?> conditions) {
            for (Object o : conditions) {
                if (o instanceof Map<?, ?> c && "Ready".equals(c.get("type"))) {
                    if ("True".equals(c.get("status"))) {
                        return null;
                    }
                    if (ctx == CERTIFICATES) {
                        retryIfFailed(name, s);
                    }
                    return kind + " " + namespace + "/" + name + " is not Ready (" + c.get("reason") + ": " + c.get("message") + ")";
                }
            }
        }
        return kind + " " + namespace + "/" + name + " has no Ready condition yet (is the cert-manager controller running?)";
    }

    /**
     * Null when the serving Secret holds a usable key pair: a certificate and the private key that belongs
     * to it, SANs covering the webhook address, and the CA that issued it.
     */
    public String secretProblem() {
        Secret s = client.secrets().inNamespace(namespace).withName(SERVING_SECRET).get();
        if (s == null) {
            return "Secret " + namespace + "/" + SERVING_SECRET + " does not exist";
        }
        try {
            KeyMaterial m = parse(s);
            if (!keyMatches(m.key(), m.leaf())) {
                return "Secret " + SERVING_SECRET + ": tls.key does not belong to tls.crt";
            }
            if (!coversHost(m.leaf(), webhookHost)) {
                return "Secret " + SERVING_SECRET + ": the certificate's SANs do not cover " + webhookHost;
            }
            m.leaf().verify(m.ca().getPublicKey());
            return null;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return "Secret " + namespace + "/" + SERVING_SECRET + " is not a usable key pair: " + e.getMessage();
        }
    }

    /** The key pair from the serving Secret, if it is there and parses. */
    public Optional<KeyMaterial> material() {
        Secret s = client.secrets().inNamespace(namespace).withName(SERVING_SECRET).get();
        try {
            return s == null ? Optional.empty() : Optional.of(parse(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The CA from the serving Secret ({@code ca.crt}) as PEM. */
    public Optional<String> caPem() {
        return material().map(KeyMaterial::caPem);
    }

    /**
     * Calls {@code onChange} whenever cert-manager rewrites the serving Secret (a reissue), with the new key
     * pair. Close the returned informer when the run ends.
     */
    public SharedIndexInformer<Secret> watch(Consumer<KeyMaterial> onChange) {
        return client.secrets().inNamespace(namespace).withName(SERVING_SECRET).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret s) {
                changed(s);
            }

            @Override
            public void onUpdate(Secret oldSecret, Secret s) {
                changed(s);
            }

            @Override
            public void onDelete(Secret s, boolean unknown) {
                // cert-manager recreates it; the server keeps serving the last good pair meanwhile
            }

            private void changed(Secret s) {
                try {
                    KeyMaterial m = parse(s);
                    if (keyMatches(m.key(), m.leaf())) {
                        onChange.accept(m);
                    }
                } catch (IllegalArgumentException | GeneralSecurityException e) {
                    // a half-written Secret; the next update completes it
                }
            }
        });
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
