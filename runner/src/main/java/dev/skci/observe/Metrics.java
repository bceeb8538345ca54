package dev.skci.observe;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What happened in one simulation, as numbers: the variables expectations are written over
 * (docs/expectations.md). Numbers are doubles (CEL compares and multiplies them without conversions);
 * times are durations. "Trace time" is what the simulated world saw: wall time multiplied by the replay
 * speed; "wall time" is what the cluster really took.
 */
@Doc("everything observed in one simulation")
public record Metrics(
        @Doc("the simulated pods") Pods pods,
        @Doc("the virtual nodes") Nodes nodes,
        @Doc("CPU of the virtual nodes, in cores") Resource cpu,
        @Doc("memory of the virtual nodes, in bytes") Resource memory,
        @Doc("events in the run's namespaces by reason (FailedScheduling, FailedCreate, Preempted, Evicted, BackOff, ...); "
                + "reasons that did not occur are 0") Map<String, Double> events,
        @Doc("each traced workload that owns pods, keyed by namespace/name (trace namespaces)") Map<String, Workload> workloads,
        @Doc("did the simulation really happen: realised against requested pods") Fidelity fidelity,
        @Doc("samples over trace time: one whenever something changed, at most one per trace second") List<Sample> timeline) {

    /** The event reasons that are always present in {@code events} (0 when they did not occur). */
    public static final List<String> KNOWN_EVENT_REASONS = List.of("FailedScheduling", "FailedCreate", "Preempted", "Evicted",
            "BackOff", "Scheduled", "SuccessfulCreate", "SuccessfulDelete", "Killing");

    @Doc("the simulated pods")
    public record Pods(
            @Doc("pods created") double created,
            @Doc("pods bound to a node") double scheduled,
            @Doc("pods the scheduler reported Unschedulable that were never scheduled (still there at the end, or "
                    + "Unschedulable for at least 5 s of trace time before they were deleted)") double unschedulable,
            @Doc("pods still Pending (not yet running) at the end") double pendingAtEnd,
            @Doc("pods Running at the end") double runningAtEnd,
            @Doc("pods that completed (Succeeded)") double succeeded,
            @Doc("pods that Failed") double failed,
            @Doc("time from creation to being bound to a node") Latency schedulingLatency,
            @Doc("time from creation to Running") Latency startupLatency,
            @Doc("why the scheduler could not place pods: its message without the node counts, and how many pods got it")
            List<Reason> reasons) {}

    @Doc("a latency in wall time and in trace time")
    public record Latency(
            @Doc("as the cluster really took it (use this to judge the scheduler itself)") Quantiles wall,
            @Doc("as the simulated world saw it (wall × speed; use this against production's numbers)") Quantiles trace) {}

    @Doc("quantiles of a latency")
    public record Quantiles(
            @Doc("how many pods were measured") double count,
            @Doc("median") Duration p50,
            @Doc("90th percentile") Duration p90,
            @Doc("99th percentile") Duration p99,
            @Doc("the largest") Duration max) {}

    @Doc("one reason the scheduler gave")
    public record Reason(
            @Doc("e.g. \"0/4 nodes are available: 3 Insufficient cpu, 1 node(s) had untolerated taint\"") String message,
            @Doc("pods that were last told this") double pods) {}

    @Doc("the virtual nodes")
    public record Nodes(
            @Doc("the most virtual nodes Ready at once") double peak,
            @Doc("virtual nodes Ready at the end") double atEnd,
            @Doc("virtual nodes that ran at least one simulated pod (how tightly the scheduler packed them)") double used) {}

    @Doc("a resource of the virtual nodes")
    public record Resource(
            @Doc("the most requested at once by pods bound to virtual nodes") double requestedPeak,
            @Doc("the most allocatable at once on Ready virtual nodes") double allocatablePeak,
            @Doc("the highest requested / allocatable at any moment (0..1)") double utilisationPeak) {}

    @Doc("one traced workload")
    public record Workload(
            @Doc("Deployment, StatefulSet, ReplicaSet, DaemonSet, Job, CronJob or Pod (a bare pod)") String kind,
            @Doc("the most replicas the trace asked for at once (0 for kinds without replicas)") double desired,
            @Doc("the most of its pods that existed at once (created, not finished, not deleted)") double realised,
            @Doc("pods it created in all") double created,
            @Doc("its pods bound to a node") double scheduled,
            @Doc("its pods that reached Running") double running,
            @Doc("its pods that completed (Job completions)") double completions,
            @Doc("the longest it took, in trace time, to reach a count the trace asked for") Duration lag,
            @Doc("counts the trace asked for (each increase of replicas)") double countsRequested,
            @Doc("of those, how many were reached before the trace changed them again") double countsReached,
            @Doc("realised pod-seconds / requested pod-seconds (0..1); 1 for kinds without replicas") double podSeconds) {}

    @Doc("did the simulation reproduce the trace")
    public record Fidelity(
            @Doc("false when nothing in the trace asks for replicas over time, or the speed is max") boolean applicable,
            @Doc("realised / requested pod-seconds over every workload with replicas (0..1)") double podSeconds,
            @Doc("counts the trace asked for") double countsRequested,
            @Doc("counts reached before the trace changed them again") double countsReached) {}

    @Doc("one point of the timeline")
    public record Sample(
            @Doc("trace time since the first event") Duration t,
            @Doc("wall time since the replay started") Duration wall,
            @Doc("pods at that moment") SamplePods pods,
            @Doc("virtual nodes Ready") double nodes,
            @Doc("CPU in cores") SampleResource cpu,
            @Doc("memory in bytes") SampleResource memory) {}

    @Doc("pods at one moment")
    public record SamplePods(
            @Doc("existing pods") double total,
            @Doc("not yet running") double pending,
            @Doc("pending that the scheduler reported Unschedulable") double unschedulable,
            @Doc("Running") double running,
            @Doc("Succeeded") double succeeded,
            @Doc("Failed") double failed) {}

    @Doc("a resource at one moment")
    public record SampleResource(
            @Doc("requested by pods bound to virtual nodes") double requested,
            @Doc("allocatable on Ready virtual nodes") double allocatable) {}
}
