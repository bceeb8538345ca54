package dev.skci.readiness;

import dev.skci.autoscaler.Karpenter;
import dev.skci.certs.CertManagerStatus;
import dev.skci.certs.ServingCertificate;
import dev.skci.cluster.Cluster;
import dev.skci.webhook.AdmissionServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * What gates may look at: a read-only view of the run so far. Parts that a later step creates are
 * empty until then; a gate's {@link Gate.Phase} says which it can rely on.
 */
public interface GateContext {
    Cluster cluster();

    default KubernetesClient client() {
        return cluster().client();
    }

    /** The run's name: its root, its certificate namespace and its webhook configuration are called this. */
    String runName();

    /** True when cert-manager issues the webhook's certificate ({@code --webhook-cert cert-manager}). */
    boolean certManagerIssues();

    /** The webhook's certificate (phase CERTIFICATE on). */
    Optional<ServingCertificate> certificate();

    /** What cert-manager says about the run's certificate, when it issues it. */
    default Optional<CertManagerStatus> certManagerStatus() {
        return certificate().flatMap(ServingCertificate::status);
    }

    /** The webhook server (phase WEBHOOK on). */
    Optional<AdmissionServer> webhookServer();

    /** True when an autoscaler makes the simulation's nodes ({@code cluster.autoscaler}), so none need exist up front. */
    default boolean autoscaled() {
        return false;
    }

    /** Karpenter, once the run started it (phase AUTOSCALER on); empty without an autoscaler. */
    default Optional<Karpenter> karpenter() {
        return Optional.empty();
    }

    /** A virtual namespace of the run, for the dry-run probe. */
    String probeNamespace();
}
