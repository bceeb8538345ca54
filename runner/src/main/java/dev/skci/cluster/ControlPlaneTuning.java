package dev.skci.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The simulation control plane's settings, in one pinned place (issue 12; the table in docs/cluster.md,
 * "The simulated control plane, unthrottled", is checked against this list). A simulation is not
 * production: nothing it stores must survive a crash, and the limits that protect a shared cluster from
 * its clients only make the simulated one lag behind the trace. What bounds realised pods per second on
 * a small runner is CPU; everything here removes waiting that is not CPU (client rate limits, too few
 * workers, fsync, one deletion worker, four KWOK workers) and CPU spent on anything but the workload (the API
 * server's collector, node Lease renewals) without changing what the components decide (the scheduler's
 * algorithm, the controllers' logic). Providers render these into their own
 * configuration: the local provider into kwokctl's {@code componentsPatches} and a KwokConfiguration.
 */
public final class ControlPlaneTuning {
    private ControlPlaneTuning() {}

    /**
     * One command-line flag of one component. {@code component} uses kwokctl's names; {@code override} replaces a
     * value kwokctl itself sets (kwokctl's {@code extraArgs} {@code override: true}) instead of adding the flag again.
     */
    public record Flag(String component, String name, String value, boolean override, String why) {
        public Flag(String component, String name, String value, String why) {
            this(component, name, value, false, why);
        }
    }

    /** One environment variable of one component ({@code component} in kwokctl's names, as for {@link Flag}). */
    public record Env(String component, String name, String value, String why) {}

    /** One option of the KWOK controller's KwokConfiguration. */
    public record KwokOption(String name, String value, String why) {}

    /**
     * How far the tuning goes. {@code TUNED} is what skci runs; the others exist for the benchmark that measures
     * what the tuning buys ({@code scripts/bench.sh cluster-throughput}), chosen with the system property
     * {@value #PROPERTY}.
     */
    public enum Level {
        /** kwokctl's defaults: client rate limits, API server inflight limits and priority and fairness on. */
        DEFAULT,
        /** kwokctl's {@code disableQPSLimits} only. */
        UNTHROTTLED,
        /** {@code disableQPSLimits} and everything below. */
        TUNED;

        public static Level current() {
            String v = System.getProperty(PROPERTY, "tuned");
            try {
                return valueOf(v.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(PROPERTY + " must be default, unthrottled or tuned, not '" + v + "'");
            }
        }
    }

    public static final String PROPERTY = "skci.control-plane";

    /**
     * What kwokctl's {@code disableQPSLimits: true} sets (documented here, set by kwokctl): the API server without
     * inflight limits or priority and fairness, the controller manager and scheduler with unlimited client QPS.
     */
    public static final List<Flag> UNTHROTTLED_BY_KWOKCTL = List.of(
            new Flag("kube-apiserver", "max-requests-inflight", "0", "no cap on concurrent reads"),
            new Flag("kube-apiserver", "max-mutating-requests-inflight", "0", "no cap on concurrent writes"),
            new Flag("kube-apiserver", "enable-priority-and-fairness", "false", "no queueing of requests by flow"),
            new Flag("kube-controller-manager", "kube-api-qps", "5000", "default 20: the ceiling of the ReplicaSet controller's creates"),
            new Flag("kube-controller-manager", "kube-api-burst", "10000", "default 30"),
            new Flag("kube-scheduler", "kube-api-qps", "5000",
                    "default 50: the ceiling of binds (with --config the scheduler reads its limits from LocalScheduler's file instead)"),
            new Flag("kube-scheduler", "kube-api-burst", "10000", "default 100"));

    /**
     * Flags of every level, {@code default} included: they keep a single-replica control plane alive rather than
     * make it faster (docs/design.md, "No leader election in single replicas"; docs/cluster.md).
     */
    public static final List<Flag> ALWAYS = List.of(
            new Flag("kube-controller-manager", "leader-elect", "false",
                    "one replica has nobody to wait for; a lease not renewed during an API stall makes it exit"),
            new Flag("kube-controller-manager", "node-monitor-grace-period", "1h", true,
                    "kwokctl's 200 s: after a long stall every virtual node would be tainted unreachable and its pods evicted"),
            new Flag("kube-scheduler", "leader-elect", "false", "as for the controller manager"));

    /** skci's own flags on top, as {@code componentsPatches} (added, or replacing kwokctl's value). */
    public static final List<Flag> FLAGS = List.of(
            new Flag("etcd", "unsafe-no-fsync", "true",
                    "a simulation's state need not survive a crash; every write otherwise waits for the disk"),
            new Flag("kube-apiserver", "delete-collection-workers", "4",
                    "default 1: a deletecollection (cleanup, the namespace controller) deletes 4 objects at a time"),
            new Flag("kube-controller-manager", "concurrent-replicaset-syncs", "25",
                    "default 5: 5 ReplicaSets creating pods at once, each in slow-start batches that wait for the slowest create"),
            new Flag("kube-controller-manager", "concurrent-deployment-syncs", "25", "default 5"),
            new Flag("kube-controller-manager", "concurrent-statefulset-syncs", "25", "default 5"),
            new Flag("kube-controller-manager", "concurrent-job-syncs", "25", "default 5"),
            new Flag("kube-controller-manager", "concurrent-gc-syncs", "50", "default 20: the garbage collector's workers"),
            new Flag("kube-controller-manager", "concurrent-namespace-syncs", "20", "default 10"),
            new Flag("kwok-controller", "node-lease-duration-seconds", "240", true,
                    "kwokctl's 40: KWOK renews every node's Lease at a quarter of it, 100 writes/s at 1,000 nodes; every 60 s "
                            + "still keeps the freshest of even one node inside the KWOK gate's 90 s, and the node controller's grace is 1 h"));

    /**
     * The API server's Go collector: each pod is decoded, copied and encoded many times on its way through the API
     * server, so its heap turns over fast and its collector ran often (11 % of its CPU in a profile of the 5,000-pod
     * case). Collecting at 5x the live heap instead of 2x gave it 0.41 cores against 0.45-0.51 in two rounds of that
     * case and 0.45 in a third (docs/benchmarks.md, "The API server's collector and node Leases"): headroom, within
     * reach of noise; GOMEMLIMIT bounds what it costs in memory.
     * Only the API server: the same setting on etcd, the controller manager, the scheduler and KWOK doubled their
     * memory for CPU they barely use.
     */
    public static final List<Env> ENV = List.of(
            new Env("kube-apiserver", "GOGC", "400", "default 100: collect at 5x the live heap, not 2x; the API server's CPU is the pod ceiling"),
            new Env("kube-apiserver", "GOMEMLIMIT", "3GiB",
                    "the soft cap that makes the collector run early again before the heap grows past it (2.6 GiB RSS at 20,000 pods without the change)"));

    public static final List<KwokOption> KWOK = List.of(
            new KwokOption("podPlayStageParallelism", "64",
                    "default 4: each worker waits for its status PATCH; at 16 KWOK used 17 % of a core while pods queued for "
                            + "Running, so its own cap is lifted and the API server's CPU is the limit (docs/benchmarks.md, "
                            + "\"Where the pod ceiling is\")"),
            new KwokOption("nodePlayStageParallelism", "8", "default 4: node stages (1,000 nodes turning Ready at boot)"),
            new KwokOption("nodeLeaseParallelism", "8", "default 4: node lease renewals"));

    /**
     * A short hash of every setting above: part of the key under which a measured capacity is cached, so a
     * change of tuning is measured afresh.
     */
    public static String revision() {
        StringBuilder b = new StringBuilder();
        ALWAYS.forEach(f -> b.append(f.component()).append(' ').append(f.name()).append('=').append(f.value()).append('\n'));
        UNTHROTTLED_BY_KWOKCTL.forEach(f -> b.append(f.component()).append(' ').append(f.name()).append('=').append(f.value()).append('\n'));
        FLAGS.forEach(f -> b.append(f.component()).append(' ').append(f.name()).append('=').append(f.value()).append('\n'));
        ENV.forEach(e -> b.append(e.component()).append(" env ").append(e.name()).append('=').append(e.value()).append('\n'));
        KWOK.forEach(o -> b.append("kwok ").append(o.name()).append('=').append(o.value()).append('\n'));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
