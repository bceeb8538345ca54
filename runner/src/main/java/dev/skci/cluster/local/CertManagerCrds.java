package dev.skci.cluster.local;

import dev.skci.SkciException;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.skci.wait.Wait;

/** Installs cert-manager's CRDs (the manifest the build script extracted) and waits until they serve. */
final class CertManagerCrds {
    private CertManagerCrds() {}

    /** Parses the manifest (no cluster needed, so it can overlap with the control plane's start). */
    static List<CustomResourceDefinition> parse(Path manifest) {
        Object parsed;
        try (InputStream in = Files.newInputStream(manifest)) {
            parsed = new KubernetesSerialization().unmarshal(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest, e);
        }
        List<?> items = parsed instanceof List<?> l ? l
                : parsed instanceof KubernetesList kl ? kl.getItems()
                : List.of(parsed);
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof CustomResourceDefinition crd) {
                crds.add(crd);
            }
        }
        if (crds.isEmpty()) {
            throw SkciException.environment(manifest + " holds no CRDs; rebuild it with " + BinarySet.SETUP_COMMAND);
        }
        return crds;
    }

    /** Applies the CRDs (in parallel: the API server compiles each schema) and waits until all serve. */
    static void install(KubernetesClient client, List<CustomResourceDefinition> crds, Duration timeout) {
        crds.parallelStream().forEach(crd -> client.resource(crd).fieldManager("skci").forceConflicts().serverSideApply());
        for (CustomResourceDefinition crd : crds) {
            String name = crd.getMetadata().getName();
            Wait.watch("cert-manager CRD " + name + " to be established", timeout)
                    .onTimeout(t -> SkciException.environment("cert-manager CRD " + name + " not established after "
                            + timeout.toSeconds() + "s"))
                    .until(client.apiextensions().v1().customResourceDefinitions().withName(name),
                            list -> !list.isEmpty() && established(list.getFirst()));
        }
    }

    private static boolean established(CustomResourceDefinition crd) {
        if (crd == null || crd.getStatus() == null || crd.getStatus().getConditions() == null) {
            return false;
        }
        for (CustomResourceDefinitionCondition c : crd.getStatus().getConditions()) {
            if ("Established".equals(c.getType()) && "True".equals(c.getStatus())) {
                return true;
            }
        }
        return false;
    }
}
