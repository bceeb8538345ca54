package dev.skci.certs;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler that gets the webhook's serving certificate issued (the readiness gates only watch).
 * Level-based, in the style of a java-operator-sdk reconciler: on every change to the run's Issuers and
 * Certificates (informers, no polling) it brings the namespace one step closer to the chain of
 * {@link CertManager}: the self-signed Issuer and CA Certificate at once, the CA Issuer once the CA is
 * Ready, the serving Certificate once the CA Issuer is Ready. Each object is created only when what it
 * needs exists: created earlier, cert-manager would find a Secret missing and look again only seconds later.
 *
 * <p>cert-manager v1.11 can fail an issuance for good on a cache race (its self-signed issuer reads the
 * new private-key Secret before its informer has it: "CSR not signed by referenced private key"), and
 * then backs off for an hour. A Certificate whose issuance failed is deleted, and the next reconcile
 * creates it again (a new object has no backoff), at most {@value #MAX_REISSUES} times.
 */
public final class CertManagerIssuance implements AutoCloseable {
    static final int MAX_REISSUES = 3;
    private static final Logger LOG = LoggerFactory.getLogger(CertManagerIssuance.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String webhookHost;
    private final OwnerReference owner;
    private final AtomicInteger reissues = new AtomicInteger();
    private final Set<String> retriedUids = new HashSet<>();
    private SharedIndexInformer<GenericKubernetesResource> issuers;
    private SharedIndexInformer<GenericKubernetesResource> certificates;

    public CertManagerIssuance(KubernetesClient client, String namespace, String webhookHost, OwnerReference owner) {
        this.client = client;
        this.namespace = namespace;
        this.webhookHost = webhookHost;
        this.owner = owner;
    }

    /** Creates the first objects and reconciles on every later change until {@link #close}. */
    public void start() {
        ResourceEventHandler<GenericKubernetesResource> onChange = new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource r) {
                reconcile();
            }

            @Override
            public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
                reconcile();
            }

            @Override
            public void onDelete(GenericKubernetesResource r, boolean unknownFinalState) {
                reconcile();
            }
        };
        issuers = client.genericKubernetesResources(CertManager.ISSUERS).inNamespace(namespace).inform(onChange, 0);
        certificates = client.genericKubernetesResources(CertManager.CERTIFICATES).inNamespace(namespace).inform(onChange, 0);
        reconcile();
    }

    /** How often a failed issuance was retried by recreating its Certificate. */
    public int reissues() {
        return reissues.get();
    }

    /** One step towards an issued serving certificate, from the informers' view of the namespace. */
    synchronized void reconcile() {
        try {
            ensure(CertManager.ISSUERS, CertManager.selfSignedIssuer(namespace, owner));
            GenericKubernetesResource ca = ensure(CertManager.CERTIFICATES, CertManager.caCertificate(namespace, owner));
            retryIfFailed(ca);
            if (!CertManager.ready(ca)) {
                return;
            }
            GenericKubernetesResource caIssuer = ensure(CertManager.ISSUERS, CertManager.caIssuer(namespace, owner));
            if (!CertManager.ready(caIssuer)) {
                return;
            }
            retryIfFailed(ensure(CertManager.CERTIFICATES, CertManager.servingCertificate(namespace, owner, webhookHost)));
        } catch (KubernetesClientException e) {
            // The next change reconciles again; a stalled API server is what the gates report.
            LOG.debug("reconciling the certificates in {}: {}", namespace, e.getMessage());
        }
    }

    /** The object as the informer sees it; created (as {@code wanted}) when it is not there. */
    private GenericKubernetesResource ensure(ResourceDefinitionContext ctx, GenericKubernetesResource wanted) {
        SharedIndexInformer<GenericKubernetesResource> informer = ctx == CertManager.ISSUERS ? issuers : certificates;
        GenericKubernetesResource seen = informer == null ? null
                : informer.getStore().getByKey(namespace + "/" + wanted.getMetadata().getName());
        if (seen != null) {
            return seen;
        }
        try {
            return client.genericKubernetesResources(ctx).inNamespace(namespace).resource(wanted).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return null; // created meanwhile; the informer will show it
            }
            throw e;
        }
    }

    private void retryIfFailed(GenericKubernetesResource cert) {
        if (!CertManager.issuanceFailed(cert) || retriedUids.contains(cert.getMetadata().getUid())
                || reissues.get() >= MAX_REISSUES) {
            return;
        }
        retriedUids.add(cert.getMetadata().getUid());
        int n = reissues.incrementAndGet();
        String name = cert.getMetadata().getName();
        LOG.info("cert-manager failed to issue Certificate {}/{} ({}); creating it again (retry {} of {})", namespace, name,
                CertManager.conditionMessage(cert), n, MAX_REISSUES);
        client.genericKubernetesResources(CertManager.CERTIFICATES).inNamespace(namespace).withName(name).delete();
        // The delete event reconciles again and, finding the Certificate gone, creates a new one.
    }

    @Override
    public void close() {
        if (issuers != null) {
            issuers.stop();
        }
        if (certificates != null) {
            certificates.stop();
        }
    }
}
