package dev.skci.cluster.kind;

import dev.skci.SkciException;
import dev.skci.wait.Wait;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
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
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies a rendered manifest (KWOK's, cert-manager's) the way {@code kubectl apply --server-side
 * --force-conflicts} does: namespaces and CRDs first, the CRDs established before anything that may need
 * them, then everything else. Applying it again changes nothing, so an adopted cluster converges.
 */
final class Manifests {
    private Manifests() {}

    static List<HasMetadata> parse(Path manifest) {
        Object parsed;
        try (InputStream in = Files.newInputStream(manifest)) {
            parsed = new KubernetesSerialization().unmarshal(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest, e);
        } catch (RuntimeException e) {
            throw SkciException.environment("cannot parse " + manifest + " (" + e.getMessage() + "); render it again with "
                    + "scripts/kind/share-dir.sh or ami-scripts/render-kind-manifests.sh", e);
        }
        List<?> items = parsed instanceof List<?> l ? l : parsed instanceof KubernetesList kl ? kl.getItems() : List.of(parsed);
        List<HasMetadata> out = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof HasMetadata h) {
                out.add(h);
            }
        }
        if (out.isEmpty()) {
            throw SkciException.environment(manifest + " holds no Kubernetes objects; render it again with scripts/kind/share-dir.sh");
        }
        return out;
    }

    static void apply(KubernetesClient client, List<HasMetadata> objects, Duration timeout) {
        List<HasMetadata> first = objects.stream().filter(o -> o instanceof Namespace || o instanceof CustomResourceDefinition).toList();
        // The API server compiles each CRD's schema; a few at a time is faster than one after another.
        first.parallelStream().forEach(o -> ssa(client, o));
        Set<String> crds = new TreeSet<>();
        first.stream().filter(o -> o instanceof CustomResourceDefinition).forEach(o -> crds.add(o.getMetadata().getName()));
        if (!crds.isEmpty()) {
            Wait.watch(crds.size() + " CRD(s) to be established", timeout)
                    .until(client.apiextensions().v1().customResourceDefinitions(), list -> notEstablished(list, crds).isEmpty());
        }
        for (HasMetadata o : objects) {
            if (!first.contains(o)) {
                ssa(client, o);
            }
        }
    }

    private static void ssa(KubernetesClient client, HasMetadata o) {
        client.resource(o).fieldManager("skci").forceConflicts().serverSideApply();
    }

    private static Set<String> notEstablished(List<CustomResourceDefinition> list, Set<String> wanted) {
        Set<String> missing = new TreeSet<>(wanted);
        for (CustomResourceDefinition crd : list) {
            if (crd.getStatus() != null && crd.getStatus().getConditions() != null && crd.getStatus().getConditions().stream()
                    .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()))) {
                missing.remove(crd.getMetadata().getName());
            }
        }
        return missing;
    }
}
