package dev.skci.trace;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.trace.codec.TraceWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The synthetic trace of issue 12's scale cases, and of {@code skci cluster calibrate}: {@code deployments}
 * Deployments spread over {@code namespaces} namespaces, created at {@code low} replicas, scaled to
 * {@code peak} after one step, back to {@code low} after the next, and deleted after the third (trace
 * seconds). The pods request {@code cpu} and 64Mi each and run until deleted. One generator for the tests,
 * the benchmarks and the calibration, so all of them measure the same shape.
 *
 * @param deployments how many Deployments (svc-0, svc-1, ...)
 * @param namespaces how many namespaces they are spread over round-robin (team-0, team-1, ...)
 * @param low replicas before and after the peak (0 is allowed)
 * @param peak replicas during the peak
 * @param stepSeconds trace seconds between the changes (the cases use 60)
 * @param cpu each pod's CPU request, a Kubernetes quantity
 */
public record ScalingTrace(int deployments, int namespaces, int low, int peak, long stepSeconds, String cpu) {
    /** The first event's timestamp: any fixed value does, the replay only uses differences. */
    public static final long T0 = 1_780_000_000L;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public ScalingTrace {
        if (deployments < 1 || namespaces < 1 || low < 0 || peak < low || stepSeconds < 1) {
            throw new IllegalArgumentException("a scaling trace needs deployments >= 1, namespaces >= 1, 0 <= low <= peak, step >= 1 s");
        }
    }

    /** The 5,000-pod case: 100 Deployments in 4 namespaces, 12 → 50 → 12 replicas a minute apart, 100m CPU each. */
    public static ScalingTrace fiveThousand() {
        return new ScalingTrace(100, 4, 12, 50, 60, "100m");
    }

    /** The 20,000-pod case: 200 Deployments, 25 → 100 → 25 replicas a minute apart. */
    public static ScalingTrace twentyThousand() {
        return new ScalingTrace(200, 4, 25, 100, 60, "100m");
    }

    public int peakPods() {
        return deployments * peak;
    }

    /** Trace seconds from the first event to the last (the deletion). */
    public long spanSeconds() {
        return 3 * stepSeconds;
    }

    public Trace trace() {
        List<TraceEvent> events = new ArrayList<>();
        events.add(new TraceEvent(T0, deploymentsAt(low), List.of()));
        events.add(new TraceEvent(T0 + stepSeconds, deploymentsAt(peak), List.of()));
        events.add(new TraceEvent(T0 + 2 * stepSeconds, deploymentsAt(low), List.of()));
        events.add(new TraceEvent(T0 + 3 * stepSeconds, List.of(), deploymentsAt(low)));
        return new Trace(TracerConfig.empty(), events, TraceIndex.empty(), PodLifecycles.empty());
    }

    public Path write(Path file) {
        TraceWriter.write(trace(), file);
        return file;
    }

    /** A file name that says what is in it, e.g. {@code scaling-100x12-50-60s.sktrace}. */
    public String fileName() {
        return "scaling-" + deployments + "x" + low + "-" + peak + "-" + stepSeconds + "s-" + namespaces + "ns-" + cpu + ".sktrace";
    }

    private List<KubeObject> deploymentsAt(int replicas) {
        List<KubeObject> out = new ArrayList<>(deployments);
        for (int i = 0; i < deployments; i++) {
            out.add(deployment("team-" + (i % namespaces), "svc-" + i, replicas));
        }
        return out;
    }

    private KubeObject deployment(String namespace, String name, int replicas) {
        ObjectNode d = NODES.objectNode();
        d.put("apiVersion", "apps/v1");
        d.put("kind", "Deployment");
        ObjectNode meta = d.putObject("metadata");
        meta.put("name", name);
        meta.put("namespace", namespace);
        meta.putObject("labels").put("app.kubernetes.io/part-of", "skci-scaling");
        ObjectNode spec = d.putObject("spec");
        spec.put("replicas", replicas);
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        ObjectNode c = template.putObject("spec").putArray("containers").addObject();
        c.put("name", "app");
        c.put("image", "registry.example/app:1.2.3");
        c.putObject("resources").putObject("requests").put("cpu", cpu).put("memory", "64Mi");
        return new KubeObject(d);
    }
}
