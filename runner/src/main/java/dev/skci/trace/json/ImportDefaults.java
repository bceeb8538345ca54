package dev.skci.trace.json;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.trace.BuiltinKinds;
import dev.skci.trace.Gvk;
import dev.skci.trace.KubeObject;
import dev.skci.trace.LifecycleOwner;
import dev.skci.trace.PodTemplates;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.TraceIndex;
import dev.skci.trace.TracerConfig;
import dev.skci.trace.TrackedKinds;
import dev.skci.trace.hash.JsonHash;
import dev.skci.trace.hash.StablePodSpec;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code skci trace import} fills in when a hand-written source leaves it out (docs/trace-json.md
 * describes each rule). Everything depends only on the source, in source order, so the same source
 * always gives the same bytes.
 */
final class ImportDefaults {
    private ImportDefaults() {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * The tracer config SimKube 2.6+ would write for the built-in kinds applied in the events (in order of
     * first appearance): their built-in {@code podSpecTemplatePaths}, {@code trackLifecycle: true} when
     * pod_lifecycles has an owner of that kind, and {@code skipOwned: true} for bare Pods.
     */
    static TracerConfig config(List<TraceEvent> events, List<Gvk> lifecycleOwnerKinds) {
        Set<Gvk> seen = new LinkedHashSet<>();
        for (TraceEvent e : events) {
            for (KubeObject o : e.applied()) {
                Gvk g = o.gvk();
                if (g != null && BuiltinKinds.isBuiltin(g)) {
                    seen.add(g);
                }
            }
        }
        for (Gvk g : lifecycleOwnerKinds) {
            if (BuiltinKinds.isBuiltin(g)) {
                seen.add(g);
            }
        }
        ObjectNode root = NODES.objectNode();
        ObjectNode tracked = root.putObject("trackedObjects");
        for (Gvk g : seen) {
            ObjectNode settings = tracked.putObject(g.toString());
            BuiltinKinds.POD_TEMPLATE_PATHS.get(g).forEach(settings.putArray("podSpecTemplatePaths")::add);
            if (lifecycleOwnerKinds.contains(g)) {
                settings.put("trackLifecycle", true);
            }
            if (g.isCorePod()) {
                settings.put("skipOwned", true);
            }
        }
        return new TracerConfig(root);
    }

    /**
     * Every applied object under its GVK and namespace/name, in order of first appearance, with the hash
     * of the spec of its last applied version: what SimKube's tracer exports for the objects it saw.
     */
    static TraceIndex index(List<TraceEvent> events) {
        Map<String, Map<String, Long>> byGvk = new LinkedHashMap<>();
        for (TraceEvent e : events) {
            for (KubeObject o : e.applied()) {
                Gvk g = o.gvk();
                if (g == null || o.name() == null) {
                    continue; // skci validate reports such objects
                }
                byGvk.computeIfAbsent(g.toString(), k -> new LinkedHashMap<>()).put(o.nsName(), JsonHash.hash(o.get("spec")));
            }
        }
        return new TraceIndex(byGvk);
    }

    /**
     * The stable pod-spec hash (SimKube's lifecycle key) of the owner's first pod template, taken from the
     * owner's first applied version. SimKube hashes the live pod, which the API server has defaulted, so
     * this will usually differ from what a tracer records; SimKube ignores the hash for its seven built-in
     * kinds, and for other kinds write the hash explicitly.
     */
    static long podSpecHash(LifecycleOwner owner, List<TraceEvent> events, TracerConfig config, String at) {
        Gvk gvk = Gvk.parse(owner.gvk());
        List<String> paths = TrackedKinds.normalize(config).podTemplatePaths(gvk);
        for (TraceEvent e : events) {
            for (KubeObject o : e.applied()) {
                if (gvk.equals(o.gvk()) && owner.nsName().equals(o.nsName())) {
                    List<PodTemplates.Match> templates = PodTemplates.matches(o, paths);
                    if (templates.isEmpty() || templates.get(0).podSpec() == null) {
                        throw new SourceProblem(at, "cannot compute the pod-spec hash: " + gvk + " " + owner.nsName()
                                + " has no pod template with a spec at " + paths + "; write the hash");
                    }
                    return StablePodSpec.hash(templates.get(0).podSpec());
                }
            }
        }
        throw new SourceProblem(at, "cannot compute the pod-spec hash: no event applies " + gvk + " " + owner.nsName()
                + "; write the hash or apply the owner");
    }
}
