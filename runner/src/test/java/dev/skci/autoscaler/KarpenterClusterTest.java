package dev.skci.autoscaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.cli.Cli;
import dev.skci.cluster.Bootstrap;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.NodePool;
import dev.skci.observe.PodRecord;
import dev.skci.replay.ReplayPlan;
import dev.skci.result.SimulationResult;
import dev.skci.run.SimulationRun;
import dev.skci.testing.ClusterTest;
import dev.skci.testing.SharedCluster;
import dev.skci.testing.TestBinaries;
import dev.skci.testing.Workloads;
import dev.skci.trace.codec.TraceFile;
import dev.skci.cluster.local.LocalCluster;
import dev.skci.verdict.Check;
import dev.skci.verdict.Verdict;
import dev.skci.wait.Deadline;
import io.fabric8.kubernetes.api.model.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Karpenter in the loop on the real local control plane (issue 11's acceptance): a dsb-like trace on a NodePool that
 * starts with no virtual nodes ends with every pod on a node Karpenter made, twice in a row without the second run seeing
 * the first one's nodes; a NodePool whose limits.cpu is too small fails every-pod-scheduled naming the limit; and
 * Karpenter with --provider existing is invalid input before anything runs.
 */
@ClusterTest
class KarpenterClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A production-like NodePool: another cloud's node class, consolidation on; skci adds its markers. */
    private static final String NODE_POOL = """
            apiVersion: karpenter.sh/v1
            kind: NodePool
            metadata:
              name: general
            spec:
              template:
                metadata:
                  labels: {team: shop}
                spec:
                  requirements:
                    - {key: kubernetes.io/arch, operator: In, values: [amd64]}
                    - {key: kubernetes.io/os, operator: In, values: [linux]}
                    - {key: karpenter.sh/capacity-type, operator: In, values: [on-demand]}
                  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
                  expireAfter: 720h
              limits:
                cpu: "%s"
              disruption:
                consolidationPolicy: WhenEmpty
                consolidateAfter: 60s
            """;

    @BeforeEach
    void noStaticVirtualNodes(LocalCluster cluster, SharedCluster shared) {
        TestBinaries.ensureKarpenter();
        new Bootstrap(cluster.client()).run(new ClusterSpec(shared.spec().name(), 0, SharedCluster.SHAPE));
    }

    @AfterEach
    void restoreTheSharedCluster(LocalCluster cluster, SharedCluster shared) {
        Karpenter.stop(cluster, Duration.ofSeconds(60));
        new Bootstrap(cluster.client()).run(shared.spec());
    }

    private static KarpenterSpec spec(Path dir, String cpuLimit) throws Exception {
        Path f = dir.resolve("nodepool.yaml");
        Files.writeString(f, NODE_POOL.formatted(cpuLimit));
        KarpenterManifests.Read r = KarpenterManifests.read(List.of(f), "nodePools");
        KarpenterSpec spec = new KarpenterSpec(r.nodePools(), r.nodeClasses(), Optional.empty(), Optional.empty(), Optional.empty(), "test");
        KarpenterPlan.check(spec);
        return spec;
    }

    private static SimulationResult simulate(LocalCluster cluster, Path trace, KarpenterSpec spec, String prefix) throws Exception {
        TraceFile f = TraceFile.open(trace);
        SimulationRun.Options o = SimulationRun.Options.defaults().withSpeed(10).withNamespacePrefix(prefix)
                .withReportDir(trace.getParent().resolve("reports")).withKarpenter(Optional.of(spec));
        return new SimulationRun(cluster, o, SimulationRun.Hooks.NONE).run(f, ReplayPlan.scan(f, Optional.empty()),
                Deadline.after(Duration.ofMinutes(5)));
    }

    private static Check check(SimulationResult r, String name) {
        return r.verdict().checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + r.verdict().checks()));
    }

    /** dsb-scaling's shape, 54 pods of 1 CPU, on no nodes at all: Karpenter makes them, and a second run starts from nothing again. */
    @Test
    void aDsbLikeTraceOnANodePoolWithNoNodesEndsWithEveryPodOnANodeKarpenterMade(LocalCluster cluster, @TempDir Path tmp)
            throws Exception {
        Path trace = Workloads.dsbLike(tmp, "dsb-like.sktrace", 18, 3, "1", 240);
        KarpenterSpec spec = spec(tmp, "1000");
        Set<String> earlier = new HashSet<>();
        for (int run = 1; run <= 2; run++) {
            SimulationResult r = simulate(cluster, trace, spec, "karp" + run);
            assertEquals(Verdict.Outcome.PASSED, r.outcome(), r.verdict().checks().toString());
            List<PodRecord> pods = r.pods().records();
            // 18 Deployments of 3. A pod can be replaced: once (CI, 2026-12-03) the taint-eviction controller deleted a pod
            // from a node Karpenter had just made and its ReplicaSet made another, so 55 records for 54 replicas.
            Map<String, Long> perWorkload = pods.stream().collect(Collectors.groupingBy(p -> String.valueOf(p.workload()), Collectors.counting()));
            assertEquals(18, perWorkload.size(), perWorkload.toString());
            assertTrue(perWorkload.values().stream().allMatch(n -> n >= 3), "every Deployment got its 3 pods: " + perWorkload);
            assertTrue(pods.size() <= 54 + 3, "at most a few replaced pods: " + pods.size());
            java.time.Instant lastCreated = pods.stream().map(PodRecord::created).max(java.util.Comparator.naturalOrder()).orElseThrow();
            long replaced = pods.stream().filter(p -> p.deleted() != null && p.deleted().isBefore(lastCreated)).count();
            assertEquals(pods.size() - 54, replaced, "every pod beyond the 54 replaced one deleted during the run");
            Set<String> nodes = pods.stream().map(PodRecord::node).collect(Collectors.toSet());
            assertFalse(nodes.contains(null), "every pod was scheduled");
            assertTrue(nodes.stream().allMatch(n -> n.startsWith("kwok-general-")),
                    "every pod is on a node Karpenter made from NodePool general: " + nodes);
            assertTrue(nodes.stream().noneMatch(n -> NodePool.virtualIndex(n) >= 0 || n.equals(NodePool.DECOY_NODE_NAME)), nodes.toString());
            assertTrue(nodes.stream().noneMatch(earlier::contains), "run " + run + " reused nodes of the run before: " + nodes);
            earlier.addAll(nodes);
            assertEquals(0.0, r.metrics().pods().unschedulable());
            // How many nodes depends on how Karpenter batched the pending pods (all 54 at once fit one 64-CPU instance type;
            // spread over a few batches they get several): the observer must have counted every node the pods used.
            assertTrue(r.metrics().nodes().peak() >= nodes.size(), "the observer saw Karpenter's nodes " + nodes + ": "
                    + r.metrics().nodes());

            Check made = check(r, "autoscaler-nodes-virtual");
            assertEquals(Check.Status.PASSED, made.status(), made.message());
            assertTrue(made.message().contains("all virtual nodes") && made.message().contains("the first was Ready"), made.message());
            assertTrue(made.message().contains("NodePool general: label type=virtual, taint kwok-provider=true:NoSchedule, "
                    + "nodeClassRef EC2NodeClass/default -> KWOKNodeClass/default"), "skci reports what it added: " + made.message());
            Check faithful = check(r, "autoscaler-faithful");
            assertEquals(Check.Severity.WARN, faithful.severity());
            assertEquals(Check.Status.FAILED, faithful.status(), "consolidation cannot follow speed 10: " + faithful.message());
            assertTrue(faithful.message().contains("consolidation cannot follow speed 10"), faithful.message());

            // Reset: nothing of Karpenter's outlives the simulation.
            assertEquals(List.of(), KarpenterObjects.left(cluster.client()));
            assertTrue(cluster.client().nodes().list().getItems().stream().noneMatch(KarpenterObjects::made));
            assertFalse(cluster.hostComponents().orElseThrow().running(Karpenter.COMPONENT), "the controller is stopped");
        }
        String log = Files.readString(cluster.workdir().resolve("logs/karpenter.log"));
        assertTrue(log.contains("\"message\":\"Starting workers\",\"controller\":\"provisioner\""),
                "Karpenter's log is with the cluster's component logs (and so in the diagnostics bundle)");
        assertFalse(log.contains("attempting to acquire leader lease"), "leader election is off");
    }

    /** A NodePool that may not grow past 4 CPU leaves pods Pending, and the check says it was the limit, not the scheduler. */
    @Test
    void aNodePoolLimitTooSmallFailsEveryPodScheduledNamingTheLimit(LocalCluster cluster, @TempDir Path tmp) throws Exception {
        Path trace = Workloads.dsbLike(tmp, "dsb-like.sktrace", 18, 3, "1", 240);
        Path config = tmp.resolve("skci.yaml");
        Files.writeString(tmp.resolve("nodepool.yaml"), NODE_POOL.formatted("4"));
        Files.writeString(config, """
                apiVersion: skci.dev/v1alpha1
                kind: Config
                cluster:
                  autoscaler:
                    karpenter:
                      nodePools: [nodepool.yaml]
                """);
        Path reports = tmp.resolve("reports");
        Cli.Result r = Cli.run("run", "--name", cluster.name(), "--config", config.toString(), trace.toString(), "--speed", "10",
                "--namespace-prefix", "karplimit", "--report-dir", reports.toString());
        assertEquals(1, r.exit(), r.toString());
        JsonNode sim = JSON.readTree(reports.resolve("summary.json").toFile()).get("simulations").get(0);
        JsonNode scheduled = null;
        for (JsonNode c : sim.get("checks")) {
            if (c.get("name").asText().equals("every-pod-scheduled")) {
                scheduled = c;
            }
        }
        assertTrue(scheduled != null && scheduled.get("status").asText().equals("failed"), sim.get("checks").toString());
        String message = scheduled.get("message").asText();
        // Karpenter's words depend on how much of the limit its first nodes used: with none left it says the instance types
        // exceed the limit; with a little left, that none of the instance types that still fit has room for the pod (CI).
        assertTrue(message.contains("exceed limits for nodepool") || message.contains("no instance type has enough resources"),
                "Karpenter's own reason: " + message);
        assertTrue(message.contains("NodePool general is at its limits: limits.cpu 4 (")
                || message.contains("NodePool general sets limits: limits.cpu 4 ("), "the limit, with its usage: " + message);
        assertTrue(sim.at("/metrics/pods/unschedulable").asDouble() >= 40, sim.get("metrics").get("pods").toString());
        assertTrue(r.err().contains("skci: Karpenter: skci added to NodePool general: label type=virtual"), r.err());
        assertTrue(r.err().contains("skci: warning: Karpenter: NodePool general: consolidation cannot follow speed 10"), r.err());
        assertTrue(cluster.client().nodes().list().getItems().stream().noneMatch(KarpenterObjects::made), "reset after the run");
    }

    /**
     * Karpenter is supervised like the control plane: killed while the replay runs, the run stops at once with exit 3 in
     * one line naming it and how it ended, and cleanup still leaves nothing of the run's or of Karpenter's.
     */
    @Test
    void aKilledKarpenterStopsTheRunWithExit3NamingIt(LocalCluster cluster, @TempDir Path tmp) throws Exception {
        Path trace = dev.skci.testing.Faults.steadyTrace(tmp, 40);
        Files.writeString(tmp.resolve("nodepool.yaml"), NODE_POOL.formatted("1000"));
        Path config = tmp.resolve("skci.yaml");
        Files.writeString(config, "apiVersion: skci.dev/v1alpha1\nkind: Config\ncluster: {autoscaler: {karpenter: {nodePools: [nodepool.yaml]}}}\n");
        dev.skci.testing.Faults.Outcome o = dev.skci.testing.Faults.run(cluster, tmp, trace, Duration.ofSeconds(3),
                dev.skci.testing.Faults.kill(cluster, Karpenter.COMPONENT), Duration.ofMinutes(3),
                "--speed", "1", "--config", config.toString(), "--namespace-prefix", "karpkill");
        assertEquals(3, o.exit(), o.toString());
        assertTrue(o.exitAfterFault().compareTo(Duration.ofSeconds(60)) < 0, "stopped at once, not at the end of the trace: "
                + o.exitAfterFault());
        String last = o.log().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("skci: karpenter exited (exit status 137: killed by signal 9); log "), last);
        assertTrue(last.contains("karpenter.log ends: "), "and the end of its log: " + last);
        assertEquals(List.of(), dev.skci.run.Cleanup.verify(cluster.client(), o.runName()), o.toString());
        assertEquals(List.of(), KarpenterObjects.left(cluster.client()), "Karpenter's objects are removed all the same");
    }

    /** On a cluster skci does not own, Karpenter would make nodes in someone else's cluster: exit 2, before anything is created. */
    @Test
    void karpenterWithTheExistingProviderIsInvalidInput(LocalCluster cluster, @TempDir Path tmp) throws Exception {
        Path trace = Workloads.dsbLike(tmp, "dsb-like.sktrace", 1, 1, "1", 60);
        Files.writeString(tmp.resolve("nodepool.yaml"), NODE_POOL.formatted("10"));
        Path config = tmp.resolve("skci.yaml");
        Files.writeString(config, "apiVersion: skci.dev/v1alpha1\nkind: Config\ncluster: {autoscaler: {karpenter: {nodePools: [nodepool.yaml]}}}\n");
        long roots = roots(cluster);
        List<Node> before = cluster.client().nodes().list().getItems();
        Cli.Result r = Cli.run("run", "--kubeconfig", cluster.kubeconfig().toString(), "--config", config.toString(), trace.toString(),
                "--report-dir", tmp.resolve("reports").toString());
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), "one line: " + r.err());
        assertTrue(r.err().contains("cluster.autoscaler.karpenter cannot run with --provider existing")
                && r.err().contains("--provider local"), r.err());
        assertEquals(roots, roots(cluster));
        assertEquals(before.size(), cluster.client().nodes().list().getItems().size());
    }

    /** SimulationRoots on the cluster; none when no run has installed their CRD yet (this test may run first). */
    private static long roots(LocalCluster cluster) {
        String crd = dev.skci.run.Cleanup.ROOT.getPlural() + "." + dev.skci.run.Cleanup.ROOT.getGroup();
        if (cluster.client().apiextensions().v1().customResourceDefinitions().withName(crd).get() == null) {
            return 0;
        }
        return cluster.client().genericKubernetesResources(dev.skci.run.Cleanup.ROOT).list().getItems().size();
    }
}
