package dev.skci.replay;

import dev.skci.SkciException;
import dev.skci.trace.Gvk;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The REST resources behind the kinds in a trace, found by discovery before anything is applied. A kind
 * the cluster does not serve (a missing CRD) is reported up front with the full list, rather than
 * discovered mid-run as SimKube does; so is a cluster-scoped kind, which skci does not replay.
 */
public final class ApiResources {
    private final Map<Gvk, ResourceDefinitionContext> byGvk;

    private ApiResources(Map<Gvk, ResourceDefinitionContext> byGvk) {
        this.byGvk = byGvk;
    }

    public static ApiResources discover(KubernetesClient client, Collection<Gvk> kinds) {
        Map<String, APIResourceList> lists = new HashMap<>();
        Map<Gvk, ResourceDefinitionContext> found = new LinkedHashMap<>();
        TreeSet<String> missing = new TreeSet<>();
        TreeSet<String> clusterScoped = new TreeSet<>();
        for (Gvk gvk : kinds) {
            APIResourceList list = lists.computeIfAbsent(gvk.apiVersion(), gv -> fetch(client, gv));
            APIResource match = list == null ? null : list.getResources().stream()
                    .filter(r -> gvk.kind().equals(r.getKind()) && !r.getName().contains("/"))
                    .findFirst().orElse(null);
            if (match == null) {
                missing.add(gvk.toString());
            } else if (!Boolean.TRUE.equals(match.getNamespaced())) {
                clusterScoped.add(gvk.toString());
            } else {
                found.put(gvk, ResourceDefinitionContext.fromApiResource(gvk.apiVersion(), match));
            }
        }
        if (!missing.isEmpty()) {
            throw SkciException.invalidInput("the cluster does not serve these kinds from the trace: "
                    + String.join(", ", missing) + "; install their CRDs in the simulation cluster first");
        }
        if (!clusterScoped.isEmpty()) {
            throw SkciException.invalidInput("the trace holds cluster-scoped kinds, which skci does not replay: "
                    + String.join(", ", clusterScoped) + "; remove them from the trace");
        }
        return new ApiResources(found);
    }

    private static APIResourceList fetch(KubernetesClient client, String groupVersion) {
        try {
            return client.getApiResources(groupVersion);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw SkciException.environment("API discovery of " + groupVersion + " failed: " + e.getMessage(), e);
        }
    }

    public ResourceDefinitionContext context(Gvk gvk) {
        ResourceDefinitionContext c = byGvk.get(gvk);
        if (c == null) {
            throw new IllegalStateException(gvk + " was not discovered before replay");
        }
        return c;
    }

    public List<Gvk> kinds() {
        return List.copyOf(byGvk.keySet());
    }
}
