package dev.skci.testing;

import dev.skci.trace.KubeObject;
import dev.skci.trace.PodLifecycles;
import dev.skci.trace.Trace;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.TraceIndex;
import dev.skci.trace.TracerConfig;
import dev.skci.trace.codec.TraceWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Traces of Deployments made in the tests: the shapes the verdict must judge (too little capacity, too fast a ramp). */
public final class Workloads {
    private Workloads() {}

    public static final long T0 = 1_780_000_000L;

    /** A Deployment whose pods request {@code cpu} and carry {@code env} (name to value) and pod annotations. */
    public static KubeObject deployment(String ns, String name, int replicas, String cpu, Map<String, String> env,
            Map<String, String> annotations) {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var d = json.createObjectNode();
        d.put("apiVersion", "apps/v1").put("kind", "Deployment");
        d.putObject("metadata").put("name", name).put("namespace", ns);
        var spec = d.putObject("spec");
        spec.put("replicas", replicas);
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        var tmpl = spec.putObject("template");
        var meta = tmpl.putObject("metadata");
        meta.putObject("labels").put("app", name);
        var ann = meta.putObject("annotations");
        annotations.forEach(ann::put);
        var c = tmpl.putObject("spec").putArray("containers").addObject();
        c.put("name", "app").put("image", "registry.example/app:1");
        c.putObject("resources").putObject("requests").put("cpu", cpu).put("memory", "64Mi");
        var envs = c.putArray("env");
        env.forEach((k, v) -> envs.addObject().put("name", k).put("value", v));
        return new KubeObject(d);
    }

    /**
     * {@code count} Deployments of {@code replicas} pods requesting {@code cpu} each, applied at the first event
     * and still there when the trace ends {@code span} seconds later: SimKube's dsb-scaling shape.
     */
    public static Path dsbLike(Path dir, String name, int count, int replicas, String cpu, long span) {
        List<KubeObject> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(deployment("dsb", "svc-" + i, replicas, cpu, Map.of(), Map.of()));
        }
        return write(dir, name, List.of(new TraceEvent(T0, all, List.of()), new TraceEvent(T0 + span, List.of(), List.of())));
    }

    /**
     * The same Deployment with the production placement of its pods: a nodeSelector and tolerations (each
     * {@code key=value:Effect}, or {@code key:Effect} for Exists), as a team's manifests have them.
     */
    public static KubeObject placed(KubeObject deployment, Map<String, String> nodeSelector, List<String> tolerations) {
        var d = deployment.node().deepCopy();
        var spec = (com.fasterxml.jackson.databind.node.ObjectNode) d.at("/spec/template/spec");
        if (!nodeSelector.isEmpty()) {
            var sel = spec.putObject("nodeSelector");
            nodeSelector.forEach(sel::put);
        }
        if (!tolerations.isEmpty()) {
            var tols = spec.putArray("tolerations");
            for (String t : tolerations) {
                String effect = t.substring(t.lastIndexOf(':') + 1);
                String kv = t.substring(0, t.lastIndexOf(':'));
                var tol = tols.addObject();
                if (kv.contains("=")) {
                    tol.put("key", kv.substring(0, kv.indexOf('='))).put("operator", "Equal").put("value", kv.substring(kv.indexOf('=') + 1));
                } else {
                    tol.put("key", kv).put("operator", "Exists");
                }
                tol.put("effect", effect);
            }
        }
        return new KubeObject(d);
    }

    /** dsb-like ({@link #dsbLike}), with every Deployment's pods placed as {@link #placed} says. */
    public static Path dsbLike(Path dir, String name, int count, int replicas, String cpu, long span, Map<String, String> nodeSelector,
            List<String> tolerations) {
        List<KubeObject> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(placed(deployment("dsb", "svc-" + i, replicas, cpu, Map.of(), Map.of()), nodeSelector, tolerations));
        }
        return write(dir, name, List.of(new TraceEvent(T0, all, List.of()), new TraceEvent(T0 + span, List.of(), List.of())));
    }

    public static Path write(Path dir, String name, List<TraceEvent> events) {
        Path p = dir.resolve(name);
        TraceWriter.write(new Trace(TracerConfig.empty(), events, TraceIndex.empty(), PodLifecycles.empty()), p);
        return p;
    }
}
