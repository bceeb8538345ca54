package dev.skci.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.cluster.SimNames;
import dev.skci.sim.BarePodTiming;
import dev.skci.sim.LifecycleResolver;
import dev.skci.sim.LifecycleResolver.Decision;
import dev.skci.sim.LifecycleResolver.OwnerKey;
import dev.skci.sim.ForeignOwner;
import dev.skci.sim.VirtualPlacement;
import dev.skci.sim.ReplayedObjects;
import dev.skci.sim.VirtualNamespaces;
import dev.skci.trace.Gvk;
import dev.skci.trace.hash.StablePodSpec;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The admission logic for pod CREATEs in virtual namespaces. Membership is decided by namespace, not by
 * walking owners: every pod in one of this run's virtual namespaces is mutated or denied, never admitted
 * as is; a pod in a virtual namespace of another run is denied. The mutation sends the pod to the
 * virtual nodes and, when the trace recorded how long the pod ran, tells skci's KWOK complete stage
 * when to finish it, counted from the moment the pod turns Running (no UPDATE webhook is needed).
 */
public final class PodMutator implements AdmissionHandler {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Gvk POD = new Gvk("", "v1", "Pod");
    private static final int MAX_OWNER_DEPTH = 10;
    /** Only add/remove/replace: what the API server applies and a reader of the request log expects. */
    private static final java.util.EnumSet<DiffFlags> DIFF_FLAGS =
            java.util.EnumSet.of(DiffFlags.OMIT_VALUE_ON_REMOVE, DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION);

    /** Facts about the run that do not change while it runs. */
    public record Context(String runName, VirtualNamespaces namespaces, Set<String> runNamespaces, long traceStart) {
        public Context {
            runNamespaces = Set.copyOf(runNamespaces);
        }
    }

    private final Context ctx;
    private final ReplayedObjects replayed;
    private final OwnerLookup owners;
    private final LifecycleResolver lifecycles;
    private final MutationStats stats = new MutationStats();

    public PodMutator(Context ctx, ReplayedObjects replayed, OwnerLookup owners, LifecycleResolver lifecycles) {
        this.ctx = ctx;
        this.replayed = replayed;
        this.owners = owners;
        this.lifecycles = lifecycles;
    }

    public MutationStats stats() {
        return stats;
    }

    @Override
    public AdmissionResponse handle(AdmissionRequest req) {
        return decide(req, true);
    }

    /** Null when an owner of the pod is not in the lookup's cache (the API server would have to be asked). */
    @Override
    public AdmissionResponse handleWithoutBlocking(AdmissionRequest req) {
        try {
            return decide(req, false);
        } catch (WouldBlock e) {
            return null;
        }
    }

    /** Thrown by the owner walk when it may not block and the cache does not know; nothing was recorded yet. */
    private static final class WouldBlock extends RuntimeException {
        private static final WouldBlock INSTANCE = new WouldBlock();

        private WouldBlock() {
            super(null, null, false, false);
        }
    }

    private AdmissionResponse decide(AdmissionRequest req, boolean mayBlock) {
        if (!req.operation().equals("CREATE")) {
            // skci registers CREATE only (postmortem remediation 3); never block other operations.
            return AdmissionResponse.allow();
        }
        AdmissionResponse r;
        try {
            r = mutate(req, mayBlock);
        } catch (WouldBlock e) {
            throw e;
        } catch (RuntimeException e) {
            r = AdmissionResponse.deny("skci could not prepare pod " + req.describe() + " for the simulation: " + e.getMessage());
        }
        if (!r.allowed() && !req.dryRun()) {
            stats.recordDenied();
        }
        return r;
    }

    private AdmissionResponse mutate(AdmissionRequest req, boolean mayBlock) {
        String ns = req.namespace();
        if (!ctx.runNamespaces().contains(ns)) {
            return AdmissionResponse.deny("namespace " + ns + " is a virtual namespace but not part of run " + ctx.runName()
                    + "; its pods are refused so they cannot land on real nodes (a leftover of another run?)");
        }
        ObjectNode pod = req.object();
        if (pod == null) {
            return AdmissionResponse.deny("the admission request carries no pod");
        }
        String originalNs = ctx.namespaces().originalName(ns);
        JsonNode meta = pod.path("metadata");
        JsonNode annotations = meta.path("annotations");

        String[] unresolved = new String[1];
        List<OwnerKey> candidates = ownerCandidates(meta, ns, originalNs, unresolved, mayBlock);
        boolean bare = candidates.isEmpty();
        String selfName = annotations.path(SimNames.ANNOTATION_ORIGINAL_OWNER).asText(meta.path("name").asText(""));
        if (!selfName.isEmpty()) {
            candidates.add(new OwnerKey(POD, originalNs + "/" + selfName));
        }
        long hash = podHash(pod);
        Decision decision = lifecycles.resolve(candidates, hash, req.dryRun());
        if (decision instanceof Decision.NoLifecycle && bare) {
            decision = fromBarePodTiming(annotations, decision);
        }

        ArrayNode patch = patch(pod, originalNs, hash, decision, workloadOf(candidates));
        if (!req.dryRun()) {
            stats.recordMutated(decision);
        }
        return AdmissionResponse.mutate(patch, summary(decision) + (unresolved[0] == null ? "" : "; " + unresolved[0]));
    }

    /**
     * The traced object the pod belongs to (the nearest owner that the replayer applied: a Deployment, a
     * CronJob, the bare pod itself), as {@code "<Kind> <namespace>/<name>"} in trace namespaces; null for a
     * pod that belongs to nothing traced. The observer attributes the pod to it.
     */
    private String workloadOf(List<OwnerKey> candidates) {
        for (OwnerKey k : candidates) {
            int slash = k.nsName().indexOf('/');
            if (slash > 0 && replayed.findOriginal(k.gvk(), k.nsName().substring(0, slash), k.nsName().substring(slash + 1)).isPresent()) {
                return k.gvk().kind() + " " + k.nsName();
            }
        }
        return null;
    }

    /**
     * The traced owners of a pod, nearest first: the simulated owner chain mapped back to the trace. The
     * walk stops where an owner is gone (deleted: the trace deleted what owned it, or a rollout replaced
     * it; the garbage collector removes the pod anyway) or cannot be looked up in time: the pod is still
     * sent to the virtual nodes, only without the lifecycle the rest of the chain would have given it.
     * Not knowing a pod's lifecycle is a fidelity question, never a reason to refuse it.
     */
    private List<OwnerKey> ownerCandidates(JsonNode meta, String ns, String originalNs, String[] unresolved, boolean mayBlock) {
        List<OwnerKey> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        OwnerLookup.OwnerRef current = controllerOf(refs(meta.path("ownerReferences")));
        for (int depth = 0; current != null; depth++) {
            if (depth > MAX_OWNER_DEPTH) {
                throw new IllegalStateException("owner chain longer than " + MAX_OWNER_DEPTH);
            }
            if (current.gvk().group().equals(SimNames.SIMKUBE_GROUP)) {
                break; // the run's root: nothing above it belongs to the trace
            }
            Optional<ReplayedObjects.Entry> entry = replayed.find(current.gvk(), ns, current.name());
            if (entry.isPresent()) {
                addTraced(entry.get(), out, seen);
                break; // replayed objects hang off the root; their production owners were added above
            }
            out.add(new OwnerKey(current.gvk(), originalNs + "/" + current.name()));
            OwnerLookup.Result found = mayBlock ? owners.find(ns, current) : owners.cached(ns, current);
            if (found == null) {
                throw WouldBlock.INSTANCE;
            }
            switch (found) {
                case OwnerLookup.Found f -> current = controllerOf(f.owners());
                case OwnerLookup.Gone g -> {
                    unresolved[0] = "its owner " + g.why() + "; the garbage collector removes the pod";
                    stats.recordOwnerGone();
                    current = null;
                }
                case OwnerLookup.Unknown u -> {
                    unresolved[0] = u.why();
                    stats.recordOwnerUnknown();
                    current = null;
                }
            }
        }
        return out;
    }

    /** A replayed object, then the production owners the trace gave it (followed through the trace). */
    private void addTraced(ReplayedObjects.Entry e, List<OwnerKey> out, Set<String> seen) {
        if (!seen.add(e.gvk() + " " + e.originalNsName())) {
            return;
        }
        out.add(new OwnerKey(e.gvk(), e.originalNsName()));
        for (ForeignOwner f : e.foreignOwners()) {
            Optional<ReplayedObjects.Entry> traced = replayed.findOriginal(f.gvk(), e.originalNamespace(), f.name());
            if (traced.isPresent()) {
                addTraced(traced.get(), out, seen);
            } else if (seen.add(f.gvk() + " " + e.originalNamespace() + "/" + f.name())) {
                out.add(new OwnerKey(f.gvk(), e.originalNamespace() + "/" + f.name()));
            }
        }
    }

    private static List<OwnerLookup.OwnerRef> refs(JsonNode list) {
        List<OwnerLookup.OwnerRef> out = new ArrayList<>();
        for (JsonNode r : list) {
            String av = r.path("apiVersion").asText(null);
            String kind = r.path("kind").asText(null);
            String name = r.path("name").asText(null);
            if (av != null && kind != null && name != null) {
                out.add(new OwnerLookup.OwnerRef(Gvk.of(av, kind), name, r.path("uid").asText(null), r.path("controller").asBoolean(false)));
            }
        }
        return out;
    }

    private static OwnerLookup.OwnerRef controllerOf(List<OwnerLookup.OwnerRef> refs) {
        return refs.stream().filter(OwnerLookup.OwnerRef::controller).findFirst()
                .orElse(refs.isEmpty() ? null : refs.get(0));
    }

    private Decision fromBarePodTiming(JsonNode annotations, Decision fallback) {
        BarePodTiming t = BarePodTiming.of(annotations);
        if (t.deleted().isPresent()) {
            long start = t.created().orElse(ctx.traceStart());
            Duration runFor = lifecycles.runFor(start, t.deleted().getAsLong());
            return new Decision.Completes(null, 0, null, runFor);
        }
        return fallback;
    }

    /**
     * The pod's stable hash as production would have computed it: an explicit annotation wins; otherwise
     * skci's own template changes are undone first, so that the hash can match the trace's buckets.
     */
    static long podHash(ObjectNode pod) {
        JsonNode explicit = pod.path("metadata").path("annotations").path(SimNames.ANNOTATION_POD_HASH);
        if (explicit.isTextual()) {
            try {
                return Long.parseUnsignedLong(explicit.textValue());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(SimNames.ANNOTATION_POD_HASH + " is not an unsigned integer: "
                        + explicit.textValue());
            }
        }
        ObjectNode spec = pod.path("spec") instanceof ObjectNode s ? s.deepCopy() : NODES.objectNode();
        JsonNode changes = parseChanges(pod.path("metadata").path("annotations").path(SimNames.ANNOTATION_TEMPLATE_CHANGES));
        if (changes != null) {
            if (spec.get("nodeSelector") instanceof ObjectNode sel) {
                JsonNode previous = changes.path("nodeSelectorType");
                if (previous.isTextual()) {
                    sel.put(SimNames.LABEL_NODE_TYPE, previous.textValue());
                } else {
                    sel.remove(SimNames.LABEL_NODE_TYPE);
                }
                if (sel.isEmpty()) {
                    spec.remove("nodeSelector");
                }
            }
            if (changes.path("tolerationAdded").asBoolean(false) && spec.get("tolerations") instanceof ArrayNode tols) {
                for (Iterator<JsonNode> it = tols.elements(); it.hasNext(); ) {
                    if (SimNames.TAINT_KWOK_PROVIDER.equals(it.next().path("key").asText(null))) {
                        it.remove();
                    }
                }
                if (tols.isEmpty()) {
                    spec.remove("tolerations");
                }
            }
        }
        return StablePodSpec.hash(spec);
    }

    private static JsonNode parseChanges(JsonNode annotation) {
        if (!annotation.isTextual()) {
            return null;
        }
        try {
            return JSON.readTree(annotation.textValue());
        } catch (IOException e) {
            throw new IllegalArgumentException(SimNames.ANNOTATION_TEMPLATE_CHANGES + " is not valid JSON");
        }
    }

    /**
     * The mutation as an RFC 6902 patch: the pod is changed on a copy and the patch is the difference
     * (zjsonpatch, which fabric8 already brings), so the patch is correct by construction for any shape
     * of the incoming pod (missing maps, existing keys, array positions).
     */
    private ArrayNode patch(ObjectNode pod, String originalNs, long hash, Decision decision, String workload) {
        ObjectNode mutated = pod.deepCopy();
        ObjectNode meta = objectAt(mutated, "metadata");
        objectAt(meta, "labels").put(SimNames.LABEL_SIMULATION, ctx.runName());
        ObjectNode annotations = objectAt(meta, "annotations");
        annotations.put(SimNames.ANNOTATION_POD_HASH, Long.toUnsignedString(hash));
        if (!annotations.has(SimNames.ANNOTATION_ORIGINAL_NAMESPACE)) {
            annotations.put(SimNames.ANNOTATION_ORIGINAL_NAMESPACE, originalNs);
        }
        if (workload != null) {
            annotations.put(SimNames.ANNOTATION_WORKLOAD, workload);
        }
        switch (decision) {
            case Decision.Completes c -> {
                annotations.put(SimNames.ANNOTATION_POD_SEQUENCE, Integer.toString(c.sequence()));
                annotations.put(SimNames.STAGE_COMPLETE_AFTER, c.runFor().toMillis() + "ms");
            }
            case Decision.RunsUntilDeleted r -> annotations.put(SimNames.ANNOTATION_POD_SEQUENCE, Integer.toString(r.sequence()));
            case Decision.NoLifecycle n -> { }
        }
        ObjectNode spec = objectAt(mutated, "spec");
        spec.remove("nodeName"); // a pre-bound pod would skip the scheduler (bare-pod problem 2)
        objectAt(spec, "nodeSelector").put(SimNames.LABEL_NODE_TYPE, SimNames.NODE_TYPE_VIRTUAL);
        VirtualPlacement.addKwokToleration(spec);
        return (ArrayNode) JsonDiff.asJson(pod, mutated, DIFF_FLAGS);
    }

    private static ObjectNode objectAt(ObjectNode parent, String field) {
        return parent.get(field) instanceof ObjectNode o ? o : parent.putObject(field);
    }

    private static String summary(Decision d) {
        return switch (d) {
            case Decision.Completes c -> "completes " + c.runFor().toMillis() + "ms after Running"
                    + (c.owner() == null ? " (bare-pod timing annotations)" : " (" + c.owner() + " #" + c.sequence() + ")");
            case Decision.RunsUntilDeleted r -> "runs until deleted (" + r.owner() + " #" + r.sequence() + ")";
            case Decision.NoLifecycle n -> "runs until deleted (no recorded lifecycle)";
        };
    }
}
