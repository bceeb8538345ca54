package dev.skci.replay;

import dev.skci.trace.KubeObject;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.codec.TraceFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods a trace asks for over time, before anything runs: for every workload that holds replicas
 * (Deployment, ReplicaSet, StatefulSet; a bare pod asks for 1 while it exists), its replica count at each
 * event, in trace seconds. It is recorded exactly as the replay records it for fidelity ({@link Desired}),
 * from one streaming pass over the plan's window, so the preflight judges the same demand the verdict
 * judges. Jobs, CronJobs and DaemonSets are not in it (fidelity does not judge them either).
 *
 * @param start trace second of the window's start (the first event)
 * @param end trace second of the window's end
 * @param changes per workload ({@code "<Kind> <namespace>/<name>"}), its replica counts in trace order
 */
public record PodDemand(long start, long end, Map<String, List<Desired.Change>> changes) {

    public static PodDemand scan(TraceFile trace, ReplayPlan plan) {
        Desired desired = new Desired();
        try (TraceFile.EventCursor c = trace.events()) {
            while (c.hasNext()) {
                TraceEvent e = c.next();
                if (plan.durationGiven() && e.ts() >= plan.endTs()) {
                    break;
                }
                for (KubeObject o : e.applied()) {
                    if (o.gvk() != null && o.namespace() != null && o.name() != null) {
                        desired.applied(o, e.ts());
                    }
                }
                for (KubeObject o : e.deleted()) {
                    if (o.gvk() != null && o.namespace() != null && o.name() != null) {
                        desired.deleted(o, e.ts());
                    }
                }
            }
        }
        Map<String, List<Desired.Change>> held = new LinkedHashMap<>();
        desired.changes().forEach((k, v) -> {
            if (desired.shapeOf(k) == Desired.Shape.REPLICAS) {
                held.put(k, v);
            }
        });
        return new PodDemand(plan.startTs(), plan.endTs(), Map.copyOf(held));
    }

    /** Pods the trace asks to create in all (every increase of a count), and to delete (every decrease). */
    public long[] totals() {
        long creations = 0;
        long deletions = 0;
        for (List<Desired.Change> list : changes.values()) {
            int previous = 0;
            for (Desired.Change c : list) {
                if (c.replicas() > previous) {
                    creations += c.replicas() - previous;
                } else {
                    deletions += previous - c.replicas();
                }
                previous = c.replicas();
            }
        }
        return new long[] {creations, deletions};
    }
}
