package dev.skci.certs;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the run's cert-manager objects say, for the readiness gates: which Issuer or Certificate is not
 * Ready and why, whether the serving Secret holds a usable key pair. Reads only; {@link CertManagerIssuance}
 * is what creates and repairs them.
 */
public final class CertManagerStatus {
    private final KubernetesClient client;
    private final String namespace;
    private final String webhookHost;

    public CertManagerStatus(KubernetesClient client, String namespace, String webhookHost) {
        this.client = client;
        this.namespace = namespace;
        this.webhookHost = webhookHost;
    }

    public String namespace() {
        return namespace;
    }

    /** Null when the self-signed Issuer, the CA Certificate and the CA Issuer are Ready, else what is not. */
    public String issuersMissing() {
        String problem = notReady(CertManager.ISSUERS, "Issuer", CertManager.SELF_SIGNED_ISSUER);
        if (problem == null) {
            problem = notReady(CertManager.CERTIFICATES, "Certificate", CertManager.CA_CERTIFICATE);
        }
        return problem != null ? problem : notReady(CertManager.ISSUERS, "Issuer", CertManager.CA_ISSUER);
    }

    /** Null when the serving Certificate is Ready (and so is what it is built on), else what is not. */
    public String certificateMissing() {
        String issuers = issuersMissing();
        return issuers != null ? issuers : notReady(CertManager.CERTIFICATES, "Certificate", CertManager.SERVING_CERTIFICATE);
    }

    private String notReady(ResourceDefinitionContext ctx, String kind, String name) {
        GenericKubernetesResource r = client.genericKubernetesResources(ctx).inNamespace(namespace).withName(name).get();
        if (r == null) {
            return kind + " " + namespace + "/" + name + " does not exist";
        }
        Map<?, ?> c = CertManager.readyCondition(r);
        if (c == null) {
            return kind + " " + namespace + "/" + name + " has no Ready condition yet (is the cert-manager controller running?)";
        }
        return "True".equals(c.get("status")) ? null
                : kind + " " + namespace + "/" + name + " is not Ready (" + c.get("reason") + ": " + c.get("message") + ")";
    }

    /**
     * Null when the serving Secret holds a usable key pair: a certificate and the private key that belongs
     * to it, SANs covering the webhook address, and the CA that issued it.
     */
    public String secretProblem() {
        Secret s = client.secrets().inNamespace(namespace).withName(CertManager.SERVING_SECRET).get();
        if (s == null) {
            return "Secret " + namespace + "/" + CertManager.SERVING_SECRET + " does not exist";
        }
        try {
            KeyMaterial m = CertManager.parse(s);
            if (!CertManager.keyMatches(m.key(), m.leaf())) {
                return "Secret " + CertManager.SERVING_SECRET + ": tls.key does not belong to tls.crt";
            }
            if (!CertManager.coversHost(m.leaf(), webhookHost)) {
                return "Secret " + CertManager.SERVING_SECRET + ": the certificate's SANs do not cover " + webhookHost;
            }
            m.leaf().verify(m.ca().getPublicKey());
            return null;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return "Secret " + namespace + "/" + CertManager.SERVING_SECRET + " is not a usable key pair: " + e.getMessage();
        }
    }

    /** The key pair from the serving Secret, if it is there and parses. */
    public Optional<KeyMaterial> material() {
        Secret s = client.secrets().inNamespace(namespace).withName(CertManager.SERVING_SECRET).get();
        try {
            return s == null ? Optional.empty() : Optional.of(CertManager.parse(s));
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
        return client.secrets().inNamespace(namespace).withName(CertManager.SERVING_SECRET).inform(new ResourceEventHandler<>() {
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
                    KeyMaterial m = CertManager.parse(s);
                    if (CertManager.keyMatches(m.key(), m.leaf())) {
                        onChange.accept(m);
                    }
                } catch (IllegalArgumentException | GeneralSecurityException e) {
                    // a half-written Secret; the next update completes it
                }
            }
        });
    }
}
