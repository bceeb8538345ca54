package dev.skci.cluster;

/**
 * Every name skci puts on a cluster, in one place (docs/design.md, "Names on the cluster"). Names that exist in SimKube are kept
 * compatible; the KWOK stage annotations are skci's own and are documented in docs/kwok-stages.md.
 */
public final class SimNames {
    private SimNames() {}

    // --- SimulationRoot: one per run; owns every virtual namespace and replayed object.
    public static final String SIMKUBE_GROUP = "simkube.io";
    public static final String ROOT_CRD = "simulationroots.simkube.io";
    public static final String ROOT_KIND = "SimulationRoot";
    public static final String ROOT_API_VERSION = "simkube.io/v1";

    // --- Labels
    /** On pods, virtual namespaces, replayed objects and the root: the run's name. */
    public static final String LABEL_SIMULATION = "simkube.io/simulation";
    /** On virtual namespaces and replayed objects. */
    public static final String LABEL_VIRTUAL = "simkube.io/virtual";
    /** On virtual nodes; pods get the matching nodeSelector. */
    public static final String LABEL_NODE_TYPE = "type";
    public static final String NODE_TYPE_VIRTUAL = "virtual";
    /**
     * On the one decoy node that stands in for a real worker (no taint): a pod that escaped mutation lands
     * there visibly, as in the postmortem. Named like SimKube's {@code type=kind-worker} real worker.
     */
    public static final String NODE_TYPE_DECOY = "decoy-worker";

    // --- Virtual nodes
    public static final String ANNOTATION_KWOK_NODE = "kwok.x-k8s.io/node";
    public static final String KWOK_NODE_FAKE = "fake";
    public static final String TAINT_KWOK_PROVIDER = "kwok-provider";
    /** On the virtual nodes skci made from a pool (cluster.nodePools): the pool's name. */
    public static final String LABEL_POOL = "skci.dev/pool";
    /**
     * On the decoy node: the cluster's default pools as JSON, the ones a simulation without pools of its own gets (set by
     * whoever booted the cluster or last gave it pools explicitly, e.g. {@code skci cluster up --nodes 5}).
     */
    public static final String ANNOTATION_DEFAULT_POOLS = "skci.dev/default-pools";

    // --- Pod annotations (SimKube-compatible)
    public static final String ANNOTATION_ORIGINAL_NAMESPACE = "static.simkube.io/original-namespace";
    public static final String ANNOTATION_ORIGINAL_OWNER = "static.simkube.io/original-owner";
    public static final String ANNOTATION_POD_HASH = "static.simkube.io/pod-spec-stable-hash";
    public static final String ANNOTATION_POD_SEQUENCE = "static.simkube.io/pod-sequence-number";

    /**
     * Bare-pod timing carried by the traced pod itself (the bare-pods seed): the pod's original creation
     * and deletion time, RFC 3339 or Unix seconds. The runner uses them, when no lifecycle is recorded,
     * to compute a bare pod's remaining lifetime relative to the start of the trace.
     */
    public static final String ANNOTATION_ORIGINAL_CREATION = "simkube.io/original-creation-timestamp";
    public static final String ANNOTATION_ORIGINAL_DELETION = "simkube.io/original-deletion-timestamp";

    // --- skci's KWOK pod stages (docs/kwok-stages.md). Values are Go durations such as "2500ms".
    /** Delay before KWOK gives a scheduled pod an IP and marks it Pending/ContainerCreating. */
    public static final String STAGE_CREATE_DELAY = "stage.skci.dev/create-delay";
    /** Delay before KWOK marks the pod Running. */
    public static final String STAGE_READY_DELAY = "stage.skci.dev/ready-delay";
    /** How long the pod runs: KWOK's complete stage counts it from the moment the pod turned Running. */
    public static final String STAGE_COMPLETE_AFTER = "stage.skci.dev/complete-after";
    /** Added by skci's own pod watcher when KWOK cannot count from Running (fallback, see docs). */
    public static final String STAGE_COMPLETE_AT = "stage.skci.dev/complete-at";

    /**
     * On pod templates skci changed (and so on their pods): what the template had before skci set
     * {@code nodeSelector.type} and added the toleration, as JSON, e.g.
     * {@code {"nodeSelectorType":null,"tolerationAdded":true}}. The webhook undoes these changes to get the
     * production pod spec back when it computes the stable pod-spec hash.
     */
    public static final String ANNOTATION_TEMPLATE_CHANGES = "skci.dev/template-changes";

    /**
     * On simulated pods: the traced object the pod belongs to, {@code "<Kind> <namespace>/<name>"} in the
     * trace's namespaces (e.g. {@code "Deployment shop/frontend"}), set by the webhook. The observer counts
     * the pods each traced workload realised by it.
     */
    public static final String ANNOTATION_WORKLOAD = "skci.dev/workload";

    // --- Webhook
    public static final String WEBHOOK_NAME = "mutate-pods.skci.dev";
}
