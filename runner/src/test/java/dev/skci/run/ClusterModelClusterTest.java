package dev.skci.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.cli.Cli;
import dev.skci.cluster.Bootstrap;
import dev.skci.cluster.Cluster;
import dev.skci.cluster.SimNames;
import dev.skci.cluster.local.ClusterDir;
import dev.skci.testing.ClusterTest;
import dev.skci.testing.SharedCluster;
import dev.skci.testing.Workloads;
import io.fabric8.kubernetes.api.model.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's cluster shape on the real local control plane, through {@code skci run} and {@code skci cluster up} as
 * users call them: pods with production placement on node pools (and Pending without them), taints and tolerations,
 * pools changed on a kept cluster, the scheduler's configuration (MostAllocated packs tighter than the default
 * LeastAllocated, restarted between simulations of one run), and the mistakes that are exit 2 before any cluster work.
 */
@ClusterTest
class ClusterModelClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEAD = "apiVersion: skci.dev/v1alpha1\nkind: Config\n";

    private Cluster cluster;
    private SharedCluster shared;

    /** Every test leaves the shared cluster as the other tests expect it: its three default nodes, the default scheduler. */
    @AfterEach
    void restore() {
        if (shared != null) {
            new Bootstrap(cluster.client()).run(shared.spec());
            cluster.configureScheduler(Optional.empty());
        }
    }

    private Cli.Result run(Path reports, String prefix, String... args) {
        List<String> a = new ArrayList<>(List.of("run", "--kubeconfig", cluster.kubeconfig().toString(), "--namespace-prefix", prefix,
                "--report-dir", reports.toString()));
        a.addAll(List.of(args));
        return Cli.run(a.toArray(String[]::new));
    }

    /** Through the local provider, which adopts the shared cluster by its name (and so can restart its scheduler). */
    private Cli.Result runLocal(Path reports, String prefix, String... args) {
        List<String> a = new ArrayList<>(List.of("run", "--name", cluster.name(), "--namespace-prefix", prefix,
                "--report-dir", reports.toString()));
        a.addAll(List.of(args));
        return Cli.run(a.toArray(String[]::new));
    }

    private static JsonNode simulation(Path reports, int i) throws Exception {
        return JSON.readTree(reports.resolve("summary.json").toFile()).get("simulations").get(i);
    }

    private static JsonNode check(JsonNode simulation, String name) {
        for (JsonNode c : simulation.get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + simulation.get("checks"));
    }

    private static Path config(Path dir, String yaml) throws Exception {
        Path p = dir.resolve("skci.yaml");
        Files.writeString(p, HEAD + yaml);
        return p;
    }

    private Map<String, Node> virtualNodes() {
        Map<String, Node> out = new TreeMap<>();
        cluster.client().nodes().withLabel(SimNames.LABEL_NODE_TYPE, SimNames.NODE_TYPE_VIRTUAL).list().getItems()
                .forEach(n -> out.put(n.getMetadata().getName(), n));
        return out;
    }

    private static final String POOLS = """
            cluster:
              nodePools:
                - name: general
                  count: 2
                  capacity: {cpu: 8, memory: 32Gi}
                  labels: {node.kubernetes.io/instance-type: m5.2xlarge}
                  zones: [us-east-1a]
                - name: compute
                  count: 3
                  capacity: {cpu: 16, memory: 32Gi}
                  labels: {node.kubernetes.io/instance-type: c6i.4xlarge, workload-class: batch}
                  zones: [us-east-1b]
            """;

    /**
     * dsb's shape with production placement (zone and instance type): on pools that have such nodes every pod is
     * scheduled there; on the default nodes, which are m5.2xlarge, the same pods stay Pending and the run fails naming
     * the scheduler's reason.
     */
    @Test
    void productionNodeSelectorsScheduleOnAMatchingPoolAndStayPendingWithout(Cluster cluster, SharedCluster shared, @TempDir Path tmp)
            throws Exception {
        this.cluster = cluster;
        this.shared = shared;
        Path trace = Workloads.dsbLike(tmp, "dsb-placed.sktrace", 6, 3, "1", 120,
                Map.of("topology.kubernetes.io/zone", "us-east-1b", "node.kubernetes.io/instance-type", "c6i.4xlarge"), List.of());
        Path withPools = tmp.resolve("pools");
        Cli.Result ok = run(withPools, "placed", trace.toString(), "--speed", "10", "--config", config(tmp, POOLS).toString());
        assertEquals(0, ok.exit(), ok.toString());
        JsonNode sim = simulation(withPools, 0);
        assertEquals(18.0, sim.at("/metrics/pods/scheduled").asDouble(), sim.get("metrics").toString());
        assertEquals(3.0, sim.at("/metrics/nodes/used").asDouble(), "on the three compute nodes");
        assertEquals(5.0, sim.at("/metrics/nodes/peak").asDouble(), "both pools' nodes");
        assertTrue(ok.err().contains("node pools: 2 pools, 5 node(s) (general 2, compute 3)"), ok.toString());

        // --nodes 3: the quick default pool (m5.2xlarge); without it the run would keep the pools the config gave the cluster.
        Path without = tmp.resolve("default");
        Cli.Result pending = run(without, "placed", trace.toString(), "--speed", "10", "--nodes", "3");
        assertEquals(1, pending.exit(), pending.toString());
        JsonNode scheduled = check(simulation(without, 0), "every-pod-scheduled");
        assertEquals("failed", scheduled.get("status").asText());
        assertTrue(scheduled.get("message").asText().contains("18 pod(s) were never scheduled")
                && scheduled.get("message").asText().contains("didn't match Pod's node affinity/selector"), scheduled.toString());
        assertEquals(3, virtualNodes().size(), "the run with --nodes 3 got three default nodes");
    }

    /** A tainted pool takes only pods that tolerate its taint, as in production. */
    @Test
    void taintedPoolsTakeOnlyPodsThatTolerateThem(Cluster cluster, SharedCluster shared, @TempDir Path tmp) throws Exception {
        this.cluster = cluster;
        this.shared = shared;
        Path config = config(tmp, """
                cluster:
                  nodePools:
                    - name: batch
                      count: 2
                      capacity: {cpu: 8, memory: 32Gi}
                      taints: [{key: dedicated, value: batch, effect: NoSchedule}]
                """);
        Path tolerating = Workloads.dsbLike(tmp, "tolerating.sktrace", 2, 2, "500m", 60, Map.of(), List.of("dedicated=batch:NoSchedule"));
        Path plain = Workloads.dsbLike(tmp, "plain.sktrace", 2, 2, "500m", 60, Map.of(), List.of());
        Cli.Result r = run(tmp.resolve("r"), "taints", tolerating.toString(), plain.toString(), "--speed", "10", "--config", config.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(simulation(tmp.resolve("r"), 0).get("passed").asBoolean(), "the tolerating pods run on the batch pool");
        JsonNode refused = check(simulation(tmp.resolve("r"), 1), "every-pod-scheduled");
        assertEquals("failed", refused.get("status").asText());
        assertTrue(refused.get("message").asText().contains("untolerated taint {dedicated: batch}"), refused.toString());
    }

    /**
     * A kept cluster's pools follow what it is given: {@code cluster up --config} adds, removes and relabels nodes (in
     * place: the nodes that stay keep their identity), and a run without node flags keeps the shape cluster up set.
     */
    @Test
    void poolsOfAKeptClusterChangeWithClusterUpAndSurviveAPlainRun(Cluster cluster, SharedCluster shared, @TempDir Path tmp)
            throws Exception {
        this.cluster = cluster;
        this.shared = shared;
        Cli.Result up = Cli.run("cluster", "up", "--name", cluster.name(), "--config", config(tmp, POOLS).toString());
        assertEquals(0, up.exit(), up.toString());
        Map<String, Node> before = virtualNodes();
        assertEquals(List.of("skci-virtual-compute-0", "skci-virtual-compute-1", "skci-virtual-compute-2", "skci-virtual-general-0",
                "skci-virtual-general-1"), List.copyOf(before.keySet()));
        assertEquals("16", before.get("skci-virtual-compute-0").getStatus().getCapacity().get("cpu").toString());

        Path changed = tmp.resolve("changed");
        Files.createDirectories(changed);
        Cli.Result again = Cli.run("cluster", "up", "--name", cluster.name(), "--config", config(changed, """
                cluster:
                  nodePools:
                    - name: general
                      count: 3
                      capacity: {cpu: 8, memory: 32Gi}
                      labels: {node.kubernetes.io/instance-type: m5.2xlarge, team: checkout}
                      zones: [us-east-1a]
                """).toString());
        assertEquals(0, again.exit(), again.toString());
        Map<String, Node> after = virtualNodes();
        assertEquals(List.of("skci-virtual-general-0", "skci-virtual-general-1", "skci-virtual-general-2"), List.copyOf(after.keySet()),
                "compute removed, one general added");
        assertEquals(before.get("skci-virtual-general-0").getMetadata().getUid(), after.get("skci-virtual-general-0").getMetadata().getUid(),
                "relabelled in place");
        assertEquals("checkout", after.get("skci-virtual-general-0").getMetadata().getLabels().get("team"));

        // cluster up --node-cpu 16, then a run without flags: the run keeps the 16-CPU nodes (it used to reset them).
        Cli.Result sized = Cli.run("cluster", "up", "--name", cluster.name(), "--nodes", "2", "--node-cpu", "16");
        assertEquals(0, sized.exit(), sized.toString());
        Cli.Result plain = run(tmp.resolve("plain"), "kept", Workloads.dsbLike(tmp, "small.sktrace", 1, 2, "1", 30).toString(),
                "--speed", "10");
        assertEquals(0, plain.exit(), plain.toString());
        assertEquals(32.0, simulation(tmp.resolve("plain"), 0).at("/metrics/cpu/allocatablePeak").asDouble(), 0.5,
                "two nodes of 16 CPU (less the reservations)");
        Map<String, Node> kept = virtualNodes();
        assertEquals(List.of("skci-virtual-0", "skci-virtual-1"), List.copyOf(kept.keySet()));
        assertEquals("16", kept.get("skci-virtual-0").getStatus().getCapacity().get("cpu").toString());
    }

    /**
     * The same trace twice in one run, once with the default scheduler (LeastAllocated spreads pods) and once with a
     * MostAllocated profile (packs them): the second uses measurably fewer nodes, and the scheduler is restarted
     * between the two simulations only.
     */
    @Test
    void mostAllocatedPacksTheSameTraceOntoFewerNodesThanLeastAllocated(Cluster cluster, SharedCluster shared, @TempDir Path tmp)
            throws Exception {
        this.cluster = cluster;
        this.shared = shared;
        Files.writeString(tmp.resolve("bin-packing.yaml"), """
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                profiles:
                  - schedulerName: default-scheduler
                    plugins:
                      score:
                        # Bin packing as production configures it: the default spreading scores would outweigh MostAllocated.
                        disabled: [{name: NodeResourcesBalancedAllocation}, {name: PodTopologySpread}]
                    pluginConfig:
                      - name: NodeResourcesFit
                        args:
                          scoringStrategy:
                            type: MostAllocated
                            resources: [{name: cpu, weight: 1}, {name: memory, weight: 1}]
                """);
        Path trace = Workloads.dsbLike(tmp, "dsb-pack.sktrace", 4, 3, "1", 120);
        Path config = config(tmp, """
                cluster:
                  nodePools:
                    - {name: general, count: 10, capacity: {cpu: 8, memory: 32Gi}, zones: [us-east-1a, us-east-1b]}
                simulations:
                  - trace: dsb-pack.sktrace
                  - trace: dsb-pack.sktrace
                    cluster:
                      scheduler: {config: bin-packing.yaml}
                """);
        Path reports = tmp.resolve("r");
        Cli.Result r = runLocal(reports, "pack", "--config", config.toString(), "--speed", "10");
        assertEquals(0, r.exit(), r.toString());
        double spread = simulation(reports, 0).at("/metrics/nodes/used").asDouble();
        double packed = simulation(reports, 1).at("/metrics/nodes/used").asDouble();
        assertEquals(12.0, simulation(reports, 1).at("/metrics/pods/scheduled").asDouble());
        assertTrue(spread >= 8, "LeastAllocated spreads 12 pods of 1 CPU over most of the 10 nodes: " + spread);
        assertTrue(r.err().contains("kube-scheduler restarted with "), r.err());
        assertTrue(packed <= 3, "MostAllocated packs 12 pods of 1 CPU onto 2 nodes of 7.9 allocatable CPU (3 at most): " + packed
                + "\n" + r.err());
        String scheduler = Files.readString(ClusterDir.of(cluster.name()).root().resolve("scheduler.json"));
        assertTrue(scheduler.contains("MostAllocated") && scheduler.contains("\"leaderElect\" : false"), scheduler);
    }

    /** A scheduler configuration the scheduler refuses is exit 2 with its own message, before any cluster is booted. */
    @Test
    void anInvalidSchedulerConfigurationIsExit2BeforeTheClusterBoots(Cluster cluster, @TempDir Path tmp) throws Exception {
        this.cluster = cluster;
        Files.writeString(tmp.resolve("typo.yaml"), """
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                profiles:
                  - schedulerName: default-scheduler
                    pluginConfig:
                      - name: NodeResourcesFit
                        args: {scoringStrategy: {type: MostAlocated}}
                """);
        Path config = config(tmp, "cluster:\n  scheduler: {config: typo.yaml}\n");
        Path trace = Workloads.dsbLike(tmp, "t.sktrace", 1, 1, "1", 30);
        String fresh = "pools-never-" + ProcessHandle.current().pid();
        Cli.Result r = Cli.run("run", trace.toString(), "--name", fresh, "--config", config.toString(), "--report-dir", tmp.resolve("r").toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("typo.yaml: kube-scheduler v1.33.13 refuses it: ")
                && r.err().contains("scoringStrategy.type: Unsupported value: \"MostAlocated\""), r.err());
        assertFalse(Files.exists(ClusterDir.of(fresh).root()), "no cluster was booted");

        Cli.Result existing = run(tmp.resolve("e"), "sched", trace.toString(), "--config", config.toString());
        assertEquals(2, existing.exit(), existing.toString());
        assertTrue(existing.err().contains("--provider existing cannot honour cluster.scheduler.config"), existing.err());
        assertEquals(0, cluster.client().genericKubernetesResources(Cleanup.ROOT).list().getItems().size(), "nothing ran");
    }

    /** A traced kind the chosen Kubernetes version no longer serves is exit 2, all of them listed, before any cluster work. */
    @Test
    void aKindTheVersionNoLongerServesIsExit2UpFront(Cluster cluster, @TempDir Path tmp) throws Exception {
        this.cluster = cluster;
        var json = new ObjectMapper();
        var cron = json.createObjectNode();
        cron.put("apiVersion", "batch/v1beta1").put("kind", "CronJob");
        cron.putObject("metadata").put("name", "nightly").put("namespace", "ops");
        var pdb = json.createObjectNode();
        pdb.put("apiVersion", "policy/v1beta1").put("kind", "PodDisruptionBudget");
        pdb.putObject("metadata").put("name", "web").put("namespace", "ops");
        Path trace = Workloads.write(tmp, "old.sktrace", List.of(
                new dev.skci.trace.TraceEvent(Workloads.T0, List.of(new dev.skci.trace.KubeObject(cron), new dev.skci.trace.KubeObject(pdb)),
                        List.of()), new dev.skci.trace.TraceEvent(Workloads.T0 + 60, List.of(), List.of())));
        Path config = config(tmp, "cluster:\n  kubernetesVersion: \"1.34\"\n");
        String fresh = "pools-never-" + ProcessHandle.current().pid();
        Cli.Result r = Cli.run("run", trace.toString(), "--name", fresh, "--config", config.toString(), "--report-dir", tmp.resolve("r").toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("Kubernetes v1.34 does not serve 2 kind(s) the trace applies: CronJob batch/v1beta1 (removed in 1.25; "
                + "use batch/v1), PodDisruptionBudget policy/v1beta1 (removed in 1.25; use policy/v1)"), r.err());
        assertFalse(Files.exists(ClusterDir.of(fresh).root()), "no cluster was booted");

        // A version the local provider does not pin is exit 2 too, naming those it has.
        Cli.Result unpinned = Cli.run("run", Workloads.dsbLike(tmp, "t.sktrace", 1, 1, "1", 30).toString(), "--name", fresh, "--config",
                config(tmp, "cluster:\n  kubernetesVersion: \"1.29\"\n").toString(), "--report-dir", tmp.resolve("r2").toString());
        assertEquals(2, unpinned.exit(), unpinned.toString());
        assertTrue(unpinned.err().contains("Kubernetes v1.29 is not one the local provider runs; it has v1.33.13, v1.34.4"), unpinned.err());
        assertFalse(Files.exists(ClusterDir.of(fresh).root()), "no cluster was booted");
    }
}
