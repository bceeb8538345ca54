package dev.skci.setup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.SkciException;
import dev.skci.cluster.SimNames;
import dev.skci.sim.RunIdentity;
import dev.skci.sim.VirtualNamespaces;
import dev.skci.trace.Gvk;
import dev.skci.wait.Wait;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Puts a simulation's setup objects on the cluster after the readiness gates, before the first event:
 *
 * <ol>
 *   <li>discovery of every kind (one the cluster does not serve and no setup CRD defines is invalid input,
 *       all of them listed);
 *   <li>a server-side dry run of every object: a rejection stops the run before replay with the API
 *       server's own message (invalid input, exit 2);
 *   <li>the setup's CRDs, then a wait until each is Established and served, then the dry run of their objects;
 *   <li>every other object, created in the order given.
 * </ol>
 *
 * Namespaced objects go into the run's virtual namespace of the namespace they name ({@code default} when
 * they name none); only {@code metadata.namespace} is mapped, not references inside objects. A Namespace
 * manifest lends its labels and annotations to its virtual namespace. Every object carries the run's
 * label and its root as owner, so cleanup's foreground deletion of the root removes them, cluster-scoped
 * ones included. Objects are created, never adopted: a cluster-scoped object that already exists is
 * refused rather than taken over (and then deleted by cleanup).
 */
public final class SetupApplier {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An object the run created (or, for a Namespace manifest, labelled). */
    public record Applied(SetupObject source, ResourceDefinitionContext context, String namespace, String name, String uid) {
        public boolean clusterScoped() {
            return namespace == null;
        }

        /** {@code PriorityClass critical (setup/priority.yaml:3)}. */
        public String describe() {
            return source.describe() + " (" + source.where() + ")";
        }
    }

    private final KubernetesClient client;
    private final VirtualNamespaces namespaces;
    private final RunIdentity run;
    private final Duration timeout;

    public SetupApplier(KubernetesClient client, VirtualNamespaces namespaces, RunIdentity run, Duration timeout) {
        this.client = client;
        this.namespaces = namespaces;
        this.run = run;
        this.timeout = timeout;
    }

    /** Applies the setup; {@code created} hears of each object right after it is created (for cleanup's verification). */
    public List<Applied> apply(Setup setup, Consumer<Applied> created) {
        List<SetupObject> crds = setup.objects().stream().filter(SetupObject::isCrd).toList();
        Map<Gvk, Boolean> definedHere = new HashMap<>();
        crds.forEach(c -> SetupKinds.definedBy(c.object()).forEach(d -> definedHere.put(d.gvk(), d.namespaced())));

        Map<Gvk, ResourceDefinitionContext> contexts = discover(setup.objects().stream().map(SetupObject::gvk)
                .filter(g -> !definedHere.containsKey(g)).distinct().toList(), false);
        List<SetupObject> later = setup.objects().stream().filter(o -> definedHere.containsKey(o.gvk())).toList();
        List<SetupObject> now = setup.objects().stream().filter(o -> !definedHere.containsKey(o.gvk())).toList();
        dryRun(now, contexts);

        List<Applied> out = new ArrayList<>();
        for (SetupObject crd : crds) {
            out.add(create(crd, contexts, created));
        }
        for (SetupObject crd : crds) {
            awaitEstablished(crd.name());
        }
        if (!later.isEmpty()) {
            contexts.putAll(discover(later.stream().map(SetupObject::gvk).distinct().toList(), true));
            dryRun(later, contexts);
        }
        for (SetupObject o : setup.objects()) {
            if (o.isCrd()) {
                continue;
            }
            if (o.isNamespace()) {
                out.add(labelNamespace(o));
            } else {
                out.add(create(o, contexts, created));
            }
        }
        return out;
    }

    /** The cluster-scoped setup objects still on the cluster (same UID), named; empty once cleanup removed them all. */
    public static List<String> leftovers(KubernetesClient client, List<Applied> applied) {
        List<String> left = new ArrayList<>();
        for (Applied a : applied) {
            if (!a.clusterScoped() || a.uid() == null) {
                continue;
            }
            try {
                GenericKubernetesResource r = client.genericKubernetesResources(a.context()).withName(a.name()).get();
                if (r != null && a.uid().equals(r.getMetadata().getUid())) {
                    left.add(a.source().describe() + " from setup" + (r.getMetadata().getDeletionTimestamp() != null ? " (being deleted)" : ""));
                }
            } catch (KubernetesClientException e) {
                left.add(a.source().describe() + " from setup (could not check: " + e.getMessage() + ")");
            }
        }
        return left;
    }

    private Map<Gvk, ResourceDefinitionContext> discover(List<Gvk> kinds, boolean fromSetupCrds) {
        Map<String, APIResourceList> lists = new HashMap<>();
        Map<Gvk, ResourceDefinitionContext> found = new LinkedHashMap<>();
        TreeSet<String> missing = new TreeSet<>();
        for (Gvk gvk : kinds) {
            APIResource match = fromSetupCrds ? awaitServed(gvk) : find(lists.computeIfAbsent(gvk.apiVersion(), this::fetch), gvk);
            if (match == null) {
                missing.add(gvk.toString());
            } else {
                found.put(gvk, ResourceDefinitionContext.fromApiResource(gvk.apiVersion(), match));
            }
        }
        if (!missing.isEmpty()) {
            throw SkciException.invalidInput("setup: the cluster does not serve these kinds and no setup CRD defines them: "
                    + String.join(", ", missing) + "; add their CustomResourceDefinitions to setup, or fix the apiVersion");
        }
        return found;
    }

    private static APIResource find(APIResourceList list, Gvk gvk) {
        return list == null ? null : list.getResources().stream()
                .filter(r -> gvk.kind().equals(r.getKind()) && !r.getName().contains("/")).findFirst().orElse(null);
    }

    private APIResourceList fetch(String groupVersion) {
        try {
            return client.getApiResources(groupVersion);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw SkciException.environment("setup: API discovery of " + groupVersion + " failed: " + e.getMessage(), e);
        }
    }

    /** An Established CRD's kind can still be missing from discovery for a moment. */
    private APIResource awaitServed(Gvk gvk) {
        APIResource[] match = new APIResource[1];
        Wait.poll("setup: " + gvk + " to be served", timeout).every(Duration.ofMillis(200))
                .until(() -> (match[0] = find(fetch(gvk.apiVersion()), gvk)) == null ? "not in API discovery yet" : null);
        return match[0];
    }

    private void awaitEstablished(String crd) {
        Resource<CustomResourceDefinition> r = client.apiextensions().v1().customResourceDefinitions().withName(crd);
        Wait.watch("setup: CustomResourceDefinition " + crd + " to be Established", timeout)
                .onTimeout(t -> SkciException.environment("setup: CustomResourceDefinition " + crd + " was not Established within "
                        + timeout.toSeconds() + " s" + conditions(r.get())))
                .until(r, list -> !list.isEmpty() && condition(list.getFirst(), "Established"));
    }

    private static boolean condition(CustomResourceDefinition c, String type) {
        return c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                .anyMatch(x -> type.equals(x.getType()) && "True".equals(x.getStatus()));
    }

    private static String conditions(CustomResourceDefinition c) {
        if (c == null || c.getStatus() == null || c.getStatus().getConditions() == null) {
            return "";
        }
        return "; its conditions: " + c.getStatus().getConditions().stream()
                .map(x -> x.getType() + "=" + x.getStatus() + (x.getMessage() == null ? "" : " (" + x.getMessage() + ")"))
                .reduce((a, b) -> a + ", " + b).orElse("");
    }

    /** Every object on its own, as the API server would take it now; all rejections at once. */
    private void dryRun(List<SetupObject> objects, Map<Gvk, ResourceDefinitionContext> contexts) {
        List<String> rejected = new ArrayList<>();
        for (SetupObject o : objects) {
            if (o.isNamespace()) {
                continue; // its labels are checked when they are applied, before replay all the same
            }
            ResourceDefinitionContext ctx = contexts.get(o.gvk());
            GenericKubernetesResource r = body(o, ctx);
            try {
                var api = client.genericKubernetesResources(ctx);
                if (ctx.isNamespaceScoped()) {
                    api.inNamespace(r.getMetadata().getNamespace()).resource(r).dryRun().create();
                } else {
                    api.resource(r).dryRun().create();
                }
            } catch (KubernetesClientException e) {
                rejected.add(o.where() + " " + o.describe() + ": " + refusal(o, ctx, e));
            }
        }
        if (!rejected.isEmpty()) {
            throw SkciException.invalidInput("setup: the API server rejected " + rejected.size() + " manifest(s) in a dry run, before "
                    + "anything was replayed: " + String.join("; ", rejected));
        }
    }

    private Applied create(SetupObject o, Map<Gvk, ResourceDefinitionContext> contexts, Consumer<Applied> created) {
        ResourceDefinitionContext ctx = contexts.get(o.gvk());
        GenericKubernetesResource r = body(o, ctx);
        GenericKubernetesResource made;
        try {
            var api = client.genericKubernetesResources(ctx);
            made = ctx.isNamespaceScoped() ? api.inNamespace(r.getMetadata().getNamespace()).resource(r).create() : api.resource(r).create();
        } catch (KubernetesClientException e) {
            throw SkciException.invalidInput("setup: the API server rejected " + o.where() + " " + o.describe() + ": "
                    + refusal(o, ctx, e));
        }
        Applied a = new Applied(o, ctx, ctx.isNamespaceScoped() ? r.getMetadata().getNamespace() : null, o.name(),
                made.getMetadata().getUid());
        created.accept(a);
        return a;
    }

    /** A Namespace manifest: its labels and annotations on the virtual namespace, which the run made already. */
    private Applied labelNamespace(SetupObject o) {
        String vns = namespaces.virtualName(o.name());
        ObjectNode meta = JSON.createObjectNode();
        ObjectNode labels = meta.putObject("labels");
        o.object().path("metadata").path("labels").properties().forEach(e -> labels.set(e.getKey(), e.getValue()));
        labels.remove("kubernetes.io/metadata.name");
        labels.put(SimNames.LABEL_VIRTUAL, "true");
        labels.put(SimNames.LABEL_SIMULATION, run.name());
        if (o.object().path("metadata").get("annotations") instanceof ObjectNode a) {
            meta.set("annotations", a.deepCopy());
        }
        ObjectNode patch = JSON.createObjectNode();
        patch.set("metadata", meta);
        try {
            var ns = client.namespaces().withName(vns).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
            return new Applied(o, null, vns, vns, ns.getMetadata().getUid());
        } catch (KubernetesClientException e) {
            throw SkciException.invalidInput("setup: the API server rejected the labels of " + o.where() + " " + o.describe()
                    + " on " + vns + ": " + message(e));
        }
    }

    /** The object as the run creates it: in its virtual namespace, labelled with the run, owned by the root. */
    private GenericKubernetesResource body(SetupObject o, ResourceDefinitionContext ctx) {
        ObjectNode obj = o.object().deepCopy();
        obj.remove("status");
        ObjectNode meta = obj.get("metadata") instanceof ObjectNode m ? m : obj.putObject("metadata");
        for (String server : Set.of("uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
                "managedFields", "selfLink", "ownerReferences", "generateName")) {
            meta.remove(server);
        }
        if (ctx.isNamespaceScoped()) {
            meta.put("namespace", namespaces.virtualName(o.namespace() == null ? "default" : o.namespace()));
        } else {
            meta.remove("namespace");
        }
        ObjectNode labels = meta.get("labels") instanceof ObjectNode l ? l : meta.putObject("labels");
        labels.put(SimNames.LABEL_SIMULATION, run.name());
        meta.putArray("ownerReferences").add(run.ownerReference());
        return JSON.convertValue(obj, GenericKubernetesResource.class);
    }

    private String refusal(SetupObject o, ResourceDefinitionContext ctx, KubernetesClientException e) {
        if (e.getCode() == 409 && !ctx.isNamespaceScoped()) {
            String owner = null;
            try {
                GenericKubernetesResource existing = client.genericKubernetesResources(ctx).withName(o.name()).get();
                owner = existing == null || existing.getMetadata().getLabels() == null ? null
                        : existing.getMetadata().getLabels().get(SimNames.LABEL_SIMULATION);
            } catch (KubernetesClientException ignored) {
                // the message below still says what happened
            }
            if (owner != null) {
                throw SkciException.environment("setup: " + o.where() + " " + o.describe() + " is still on the cluster from run " + owner
                        + "; it goes when that run's SimulationRoot does (a later run reaps stale runs); retry");
            }
            return "it already exists on the cluster and is not skci's; skci neither adopts nor deletes what it did not create: "
                    + "leave it out of setup, or remove it from the cluster";
        }
        if (e.getCode() == 0 || e.getCode() == 429 || e.getCode() >= 500) {
            throw SkciException.environment("setup: the API server failed on " + o.where() + " " + o.describe() + ": " + message(e), e);
        }
        return message(e);
    }

    private static String message(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : String.valueOf(e.getMessage());
    }

    /** Kinds (as {@code apiVersion.Kind}) in the order objects of them are created; for the console line. */
    public static Map<String, Integer> byKind(List<Applied> applied) {
        Map<String, Integer> out = new LinkedHashMap<>();
        applied.forEach(a -> out.merge(a.source().gvk().kind(), 1, Integer::sum));
        return out;
    }
}
