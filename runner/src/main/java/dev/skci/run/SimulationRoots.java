package dev.skci.run;

import dev.skci.SkciException;
import dev.skci.cluster.SimNames;
import dev.skci.wait.Wait;
import dev.skci.sim.RunIdentity;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;

/** The SimulationRoot CRD and the one root object each run hangs everything off. */
public final class SimulationRoots {
    private SimulationRoots() {}

    /** Installs the CRD if the cluster lacks it and waits (bounded) until it is served. */
    public static void ensureCrd(KubernetesClient client, Duration timeout) {
        CustomResourceDefinition crd;
        try (InputStream in = SimulationRoots.class.getResourceAsStream("/dev/skci/crds/simulationroots.yaml")) {
            crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
        } catch (IOException e) {
            throw new IllegalStateException("the SimulationRoot CRD is missing from the runner jar", e);
        }
        var resource = client.apiextensions().v1().customResourceDefinitions().withName(SimNames.ROOT_CRD);
        if (resource.get() == null) {
            try {
                client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw SkciException.environment("cannot install the SimulationRoot CRD: " + e.getMessage(), e);
                }
            }
        }
        Wait.watch("the SimulationRoot CRD to be established", timeout)
                .onTimeout(t -> SkciException.environment("the SimulationRoot CRD was not established within " + timeout.toSeconds()
                        + " s; check the API server's logs"))
                .until(resource, list -> !list.isEmpty() && established(list.getFirst()));
    }

    private static boolean established(CustomResourceDefinition c) {
        return c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus()));
    }

    /** Creates the run's root and returns the identity replayed objects point their owner references at. */
    public static RunIdentity create(KubernetesClient client, String runName) {
        GenericKubernetesResource root = new GenericKubernetesResourceBuilder()
                .withApiVersion(SimNames.ROOT_API_VERSION)
                .withKind(SimNames.ROOT_KIND)
                .withNewMetadata()
                    .withName(runName)
                    .withLabels(Map.of(SimNames.LABEL_SIMULATION, runName, "app.kubernetes.io/managed-by", "skci"))
                    .withAnnotations(Map.of(StaleRuns.ANNOTATION_HEARTBEAT, java.time.Instant.now().toString()))
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of()))
                .build();
        GenericKubernetesResource created = client.genericKubernetesResources(Cleanup.ROOT).resource(root).create();
        return new RunIdentity(runName, created.getMetadata().getUid());
    }
}
