package dev.skci.testing;

import dev.skci.cluster.CertManagerProcesses;
import dev.skci.cluster.Cluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Duration;

/**
 * Stops and starts cert-manager's cainjector whatever the provider, to replay the postmortem's timeline:
 * the local provider's host process ({@link CertManagerProcesses}), or the cainjector Deployment scaled
 * to 0 and back to 1 on a cluster that runs cert-manager inside (kind).
 */
public interface CertManagerControl {
    void stopCainjector();

    /** Starts it and returns once it runs. */
    void startCainjector();

    boolean cainjectorRunning();

    static CertManagerControl of(Cluster cluster) {
        return cluster.certManager().<CertManagerControl>map(Processes::new).orElseGet(() -> new Deployments(cluster.client()));
    }

    record Processes(CertManagerProcesses p) implements CertManagerControl {
        @Override
        public void stopCainjector() {
            p.stopCainjector();
        }

        @Override
        public void startCainjector() {
            p.startCainjector();
        }

        @Override
        public boolean cainjectorRunning() {
            return p.cainjectorRunning();
        }
    }

    record Deployments(KubernetesClient client) implements CertManagerControl {
        static final String NAMESPACE = "cert-manager";
        static final String CAINJECTOR = "cert-manager-cainjector";

        @Override
        public void stopCainjector() {
            client.apps().deployments().inNamespace(NAMESPACE).withName(CAINJECTOR).scale(0);
            Poll.until(Duration.ofSeconds(90), "the cainjector's pods to be gone", () -> client.pods().inNamespace(NAMESPACE)
                    .withLabel("app.kubernetes.io/component", "cainjector").list().getItems().isEmpty());
        }

        @Override
        public void startCainjector() {
            client.apps().deployments().inNamespace(NAMESPACE).withName(CAINJECTOR).scale(1);
            Poll.until(Duration.ofSeconds(90), "the cainjector to be available", this::cainjectorRunning);
        }

        @Override
        public boolean cainjectorRunning() {
            Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName(CAINJECTOR).get();
            return d != null && d.getSpec().getReplicas() != null && d.getSpec().getReplicas() > 0 && Readiness.isDeploymentReady(d);
        }
    }
}
