package dev.skci.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skci.trace.Gvk;
import dev.skci.trace.KubeObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the trace asked for over time: for every traced workload, the replica count at each moment the
 * replayer applied or deleted it (trace seconds). Fidelity compares it with what the cluster realised.
 * Workloads are named as the webhook names their pods: {@code "<Kind> <namespace>/<name>"}.
 */
public final class Desired {
    /** From trace second {@code ts} on, the trace asked for {@code replicas}. */
    public record Change(long ts, int replicas) {}

    /** What kind of count a workload kind asks for. */
    public enum Shape {
        /** A replica count held over time (Deployment, ReplicaSet, StatefulSet), or a bare pod (1 while it exists). */
        REPLICAS,
        /** Pods that run to completion or per node (Job, CronJob, DaemonSet): counted, not held over time. */
        OTHER
    }

    private final Map<String, List<Change>> changes = new TreeMap<>();
    private final Map<String, Shape> shapes = new TreeMap<>();

    public static String key(Gvk gvk, String namespace, String name) {
        return gvk.kind() + " " + namespace + "/" + name;
    }

    static Shape shape(Gvk gvk) {
        return switch (gvk.kind()) {
            case "Deployment", "ReplicaSet", "StatefulSet" -> "apps".equals(gvk.group()) ? Shape.REPLICAS : Shape.OTHER;
            case "Pod" -> gvk.isCorePod() ? Shape.REPLICAS : Shape.OTHER;
            default -> Shape.OTHER;
        };
    }

    /** Records an applied object at trace second {@code ts}. */
    synchronized void applied(KubeObject o, long ts) {
        Gvk gvk = o.gvk();
        Shape shape = shape(gvk);
        if (gvk.isCorePod() || workloadKind(gvk)) {
            int replicas = shape == Shape.REPLICAS ? replicas(o, gvk) : 0;
            record(key(gvk, o.namespace(), o.name()), shape, ts, replicas);
        }
    }

    /** Records a deletion at trace second {@code ts}: from then on the trace asks for nothing. */
    synchronized void deleted(KubeObject o, long ts) {
        Gvk gvk = o.gvk();
        String k = key(gvk, o.namespace(), o.name());
        if (changes.containsKey(k)) {
            record(k, shapes.get(k), ts, 0);
        }
    }

    private void record(String key, Shape shape, long ts, int replicas) {
        shapes.put(key, shape);
        List<Change> list = changes.computeIfAbsent(key, k -> new ArrayList<>());
        if (!list.isEmpty() && list.getLast().replicas() == replicas) {
            return;
        }
        if (!list.isEmpty() && list.getLast().ts() == ts) {
            list.removeLast();
        }
        list.add(new Change(ts, replicas));
    }

    private static boolean workloadKind(Gvk gvk) {
        return switch (gvk.kind()) {
            case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob" -> true;
            default -> false;
        };
    }

    private static int replicas(KubeObject o, Gvk gvk) {
        if (gvk.isCorePod()) {
            return 1;
        }
        JsonNode r = o.node().path("spec").path("replicas");
        return r.isNumber() ? r.intValue() : 1; // the API's default
    }

    /** Every workload the trace applied, with its changes in trace order. */
    public synchronized Map<String, List<Change>> changes() {
        Map<String, List<Change>> out = new TreeMap<>();
        changes.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }

    public synchronized Shape shapeOf(String workload) {
        return shapes.getOrDefault(workload, Shape.OTHER);
    }
}
