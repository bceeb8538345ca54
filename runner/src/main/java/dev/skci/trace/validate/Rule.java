package dev.skci.trace.validate;

import dev.skci.trace.validate.Finding.Severity;

/**
 * The rules {@link Validator} applies. Ids are stable: scripts filter on them and the docs list them.
 * Each rule has one severity, except {@link #CONFIG_UNKNOWN_KEY}, whose severity follows SimKube
 * (ignored at the top level of the config, refused inside a kind's settings).
 */
public enum Rule {
    READER_NOTE("reader-note", Severity.WARNING, "something the reader tolerated: a legacy layout upgraded, an ignored key"),
    CONFIG_INVALID("config-invalid", Severity.ERROR, "a config value SimKube refuses when it imports the trace"),
    CONFIG_UNKNOWN_KEY("config-unknown-key", null, "a config key SimKube does not know"),
    CONFIG_NOTICE("config-notice", Severity.WARNING, "a config setting SimKube accepts but that is probably not meant"),
    TRACE_EMPTY("trace-empty", Severity.WARNING, "the trace has no events"),
    TS_BACKWARDS("ts-backwards", Severity.ERROR, "an event's ts is earlier than the previous event's"),
    OBJECT_MISSING_FIELD("object-missing-field", Severity.ERROR, "an object without apiVersion, kind, metadata.name or metadata.namespace"),
    OBJECT_CLUSTER_SCOPED("object-cluster-scoped", Severity.ERROR, "a cluster-scoped object; skci replays only namespaced objects"),
    DELETED_NEVER_APPLIED("deleted-never-applied", Severity.WARNING, "an object is deleted that no earlier event applied"),
    STATUS_POPULATED("status-populated", Severity.WARNING, "applied objects carry a status (one finding per kind)"),
    POD_TEMPLATE_MISSING("pod-template-missing", Severity.WARNING, "objects of a kind with podSpecTemplatePaths where no template is found (one per kind)"),
    MISSING_SERVICE_ACCOUNT("missing-service-account", Severity.WARNING, "a pod template names a ServiceAccount the trace never creates"),
    MISSING_SECRET("missing-secret", Severity.WARNING, "a pod template refers to a Secret the trace never creates"),
    MISSING_CONFIGMAP("missing-configmap", Severity.WARNING, "a pod template refers to a ConfigMap the trace never creates"),
    INDEX_INVALID_GVK("index-invalid-gvk", Severity.WARNING, "an index key is not a GVK string; its entries never match"),
    INDEX_STALE_HASH("index-stale-hash", Severity.WARNING, "index hashes that differ from the spec of the last applied version (one finding with a count)"),
    INDEX_MISSING_OBJECT("index-missing-object", Severity.WARNING, "applied objects that are not in the index (one finding with a count)"),
    LIFECYCLE_OWNER_INVALID("lifecycle-owner-invalid", Severity.ERROR, "a pod_lifecycles owner whose GVK cannot be parsed"),
    LIFECYCLE_OWNER_NOT_INDEXED("lifecycle-owner-not-indexed", Severity.ERROR, "a pod_lifecycles owner that is not in the index, so its lifecycles are never used"),
    LIFECYCLE_OWNER_EMPTY("lifecycle-owner-empty", Severity.WARNING, "a pod_lifecycles owner without any pod-spec hash"),
    LIFECYCLE_EMPTY("lifecycle-empty", Severity.ERROR, "an empty lifecycle list (SimKube divides by its length)"),
    LIFECYCLE_END_BEFORE_START("lifecycle-end-before-start", Severity.ERROR, "a Finished lifecycle that ends before it starts"),
    TOO_MANY("too-many-findings", Severity.WARNING, "a rule fired more often than skci lists; the count says how often");

    private final String id;
    private final Severity severity;
    private final String description;

    Rule(String id, Severity severity, String description) {
        this.id = id;
        this.severity = severity;
        this.description = description;
    }

    public String id() {
        return id;
    }

    /** The rule's severity; null for {@link #CONFIG_UNKNOWN_KEY}, which depends on where the key is. */
    public Severity severity() {
        return severity;
    }

    public String description() {
        return description;
    }
}
