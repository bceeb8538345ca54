package dev.skci.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.SkciException;
import dev.skci.cluster.ClusterShape;
import dev.skci.cluster.ClusterSpec;
import dev.skci.cluster.PoolSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cluster:} in skci.yaml: pools inline and from a file, the scheduler's file, the version; and their mistakes. */
class ClusterConfigTest {
    @TempDir
    Path dir;

    private static final String HEAD = "apiVersion: skci.dev/v1alpha1\nkind: Config\n";

    private Path write(String name, String yaml) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    private String refused(String yaml) throws Exception {
        Path p = write("skci.yaml", yaml);
        SkciException e = assertThrows(SkciException.class, () -> ConfigFile.load(p));
        assertEquals(SkciException.Kind.INVALID_INPUT, e.kind());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void poolsSchedulerAndVersionBindGloballyAndPerSimulation() throws Exception {
        write("scheduler.yaml", "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n");
        SkciConfig c = ConfigFile.load(write("skci.yaml", HEAD + """
                cluster:
                  kubernetesVersion: "1.34"
                  scheduler: {config: scheduler.yaml}
                  nodePools:
                    - name: general
                      count: 6
                      capacity: {cpu: 8, memory: 32Gi, pods: 58}
                      labels: {node.kubernetes.io/instance-type: m5.2xlarge, spot: false}
                      zones: [us-east-1a, us-east-1b]
                    - name: gpu
                      count: 2
                      capacity: {cpu: 4, memory: 16Gi, nvidia.com/gpu: 1}
                      allocatable: {memory: 15Gi}
                      taints: [{key: nvidia.com/gpu, value: "true", effect: NoSchedule}]
                simulations:
                  - trace: a.sktrace
                    cluster:
                      nodePools:
                        - {name: small, count: 1, capacity: {cpu: 2, memory: 4Gi}}
                  - trace: b.sktrace
                """));
        SkciConfig.Cluster g = c.global().cluster();
        assertEquals(Optional.of("v1.34"), g.kubernetesVersion());
        assertEquals(dir.resolve("scheduler.yaml").toAbsolutePath(), g.scheduler().orElseThrow().file().toAbsolutePath());
        List<PoolSpec> pools = g.nodePools().orElseThrow();
        assertEquals(List.of("general", "gpu"), pools.stream().map(PoolSpec::name).toList());
        assertEquals(Map.of("cpu", "8", "memory", "32Gi", "pods", "58"), pools.get(0).capacity());
        assertEquals("false", pools.get(0).labels().get("spot"), "a YAML boolean is the label value 'false'");
        assertEquals("1", pools.get(1).capacity().get("nvidia.com/gpu"));
        assertEquals(List.of(new PoolSpec.TaintSpec("nvidia.com/gpu", "true", "NoSchedule")), pools.get(1).taints());

        List<Simulations.Resolved> sims = Simulations.resolve(c, List.of(), Simulations.Flags.NONE);
        ClusterShape a = sims.get(0).cluster();
        assertEquals(List.of("small"), a.pools().orElseThrow().stream().map(PoolSpec::name).toList(), "an entry's pools replace all");
        assertEquals(Optional.of("v1.34"), a.kubernetesVersion(), "other keys come from the global cluster");
        assertEquals(List.of("general", "gpu"), sims.get(1).cluster().pools().orElseThrow().stream().map(PoolSpec::name).toList());
        assertEquals(Optional.of(pools), Simulations.runPools(c, Simulations.Flags.NONE), "the global pools are the run's");
    }

    @Test
    void aPoolsFileIsNamedRelativeToTheConfigAndCheckedToo() throws Exception {
        write("pools.yaml", "apiVersion: skci.dev/v1alpha1\nkind: NodePools\nnodePools:\n  - {name: a, count: 2, capacity: {cpu: 2, memory: 8Gi}}\n");
        SkciConfig c = ConfigFile.load(write("skci.yaml", HEAD + "cluster:\n  nodePools: pools.yaml\n"));
        assertEquals(2, c.global().cluster().nodePools().orElseThrow().getFirst().count());

        write("bad-pools.yaml", "apiVersion: skci.dev/v1alpha1\nkind: NodePools\nnodePools:\n  - name: a\n    count: 2\n"
                + "    capacity: {cpu: 2, memory: 8Gi}\n    labels: {type: spot}\n");
        String m = refused(HEAD + "cluster:\n  nodePools: bad-pools.yaml\n");
        assertTrue(m.startsWith(dir.resolve("bad-pools.yaml") + ": /nodePools/0/labels/type (line 7): "), m);

        write("typo-pools.yaml", "apiVersion: skci.dev/v1alpha1\nkind: NodePools\nnodePools:\n  - name: a\n    cont: 2\n"
                + "    capacity: {cpu: 2, memory: 8Gi}\n");
        m = refused(HEAD + "cluster:\n  nodePools: typo-pools.yaml\n");
        assertTrue(m.endsWith("typo-pools.yaml: /nodePools/0/cont (line 5): unknown key 'cont' (docs/config.md lists every key)"), m);

        m = refused(HEAD + "cluster:\n  nodePools: missing.yaml\n");
        assertTrue(m.contains("/cluster/nodePools (line 4): node pools file missing.yaml not found"), m);
    }

    @Test
    void mistakesInTheClusterNameTheLine() throws Exception {
        String m = refused(HEAD + "cluster:\n  nodePools:\n    - {name: a, count: 1, capacity: {cpu: 2, memory: 8Gi}}\n"
                + "    - name: b\n      count: 1\n      capacity: {cpu: 2, memory: lots}\n");
        assertTrue(m.endsWith("/cluster/nodePools/1/capacity/memory (line 8): pool 'b': capacity memory is not a Kubernetes quantity: "
                + "'lots' (e.g. 8, 7500m, 32Gi)"), m);
        m = refused(HEAD + "cluster:\n  nodePools:\n    - {name: a, count: 1, capacity: {cpu: 2}}\n");
        assertTrue(m.contains("/cluster/nodePools/0/capacity") && m.contains("memory"), m);
        m = refused(HEAD + "cluster:\n  nodePools:\n    - {name: a, count: 1, capacity: {cpu: 2, memory: 1Gi},\n"
                + "       taints: [{key: x, effect: NoPlease}]}\n");
        assertTrue(m.contains("/cluster/nodePools/0/taints/0/effect (line 6)"), m);
        m = refused(HEAD + "cluster:\n  kubernetesVersion: \"2.0\"\n");
        assertTrue(m.contains("/cluster/kubernetesVersion (line 4)"), m);
        m = refused(HEAD + "cluster:\n  scheduler: {config: nope.yaml}\n");
        assertTrue(m.contains("/cluster/scheduler/config (line 4): cannot read the scheduler configuration nope.yaml") && m.contains("no such file"), m);
        m = refused(HEAD + "cluster:\n  nodepools: []\n");
        assertTrue(m.contains("unknown key 'nodepools'"), m);
    }

    @Test
    void nodeFlagsAndPoolsInTheConfigTogetherAreRefused() throws Exception {
        SkciConfig c = ConfigFile.load(write("skci.yaml", HEAD + "simulations:\n  - trace: a.sktrace\n    cluster:\n      nodePools:\n"
                + "        - {name: a, count: 1, capacity: {cpu: 2, memory: 8Gi}}\n"));
        var flags = new Simulations.Flags(Optional.empty(), Optional.empty(), List.of(),
                Optional.of(List.of(PoolSpec.quick(5, ClusterSpec.NodeShape.DEFAULT))));
        SkciException e = assertThrows(SkciException.class, () -> Simulations.resolve(c, List.of(), flags));
        assertTrue(e.getMessage().contains("both describe the nodes") && e.getMessage().contains("skci.yaml:7"), e.getMessage());
        // Without pools in the config, --nodes is every simulation's pool.
        SkciConfig none = ConfigFile.load(write("plain.yaml", HEAD + "speed: 2\n"));
        var sims = Simulations.resolve(none, List.of(dir.resolve("x.sktrace")), flags);
        assertEquals(5, sims.getFirst().cluster().pools().orElseThrow().getFirst().count());
    }
}
