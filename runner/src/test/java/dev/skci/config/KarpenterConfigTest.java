package dev.skci.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.SkciException;
import dev.skci.autoscaler.KarpenterSpec;
import dev.skci.autoscaler.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cluster.autoscaler.karpenter}: bound with its manifests read, global or per simulation; bad ones are exit 2 up front. */
class KarpenterConfigTest {
    @TempDir
    Path dir;

    private static final String POOL = """
            apiVersion: karpenter.sh/v1
            kind: NodePool
            metadata: {name: %s}
            spec:
              template:
                spec:
                  nodeClassRef: {group: karpenter.kwok.sh, kind: KWOKNodeClass, name: default}
            """;

    private Path config(String yaml) throws Exception {
        Files.createDirectories(dir.resolve("karpenter"));
        Files.writeString(dir.resolve("karpenter/pool.yaml"), POOL.formatted("default"));
        Files.writeString(dir.resolve("karpenter/gpu.yaml"), POOL.formatted("gpu"));
        Files.writeString(dir.resolve("karpenter/class.yaml"),
                "apiVersion: karpenter.kwok.sh/v1alpha1\nkind: KWOKNodeClass\nmetadata: {name: default}\nspec: {nodeRegistrationDelay: 30s}\n");
        Files.writeString(dir.resolve("types.json"), "[]");
        Path p = dir.resolve("skci.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    @Test
    void globalAndPerSimulationKarpenterBindAndAnEntrysReplacesTheGlobalOne() throws Exception {
        SkciConfig c = ConfigFile.load(config("""
                apiVersion: skci.dev/v1alpha1
                kind: Config
                cluster:
                  autoscaler:
                    karpenter:
                      nodePools: [karpenter/pool.yaml]
                      nodeClasses: [karpenter/class.yaml]
                      instanceTypes: types.json
                      batchIdleDuration: 2s
                      batchMaxDuration: 20s
                simulations:
                  - trace: a.sktrace
                  - trace: b.sktrace
                    cluster:
                      autoscaler:
                        karpenter:
                          nodePools: [karpenter/gpu.yaml]
                """));
        KarpenterSpec global = c.global().cluster().karpenter().orElseThrow();
        assertEquals(List.of("default"), global.nodePools().stream().map(Manifest::name).toList());
        assertEquals(List.of("default"), global.nodeClasses().stream().map(Manifest::name).toList());
        assertEquals(Optional.of(dir.resolve("types.json")), global.instanceTypes());
        assertEquals(Optional.of(Duration.ofSeconds(2)), global.batchIdleDuration());
        assertEquals(Optional.of(Duration.ofSeconds(20)), global.batchMaxDuration());
        assertTrue(global.where().endsWith("skci.yaml:6"), global.where());

        List<Simulations.Resolved> r = Simulations.resolve(c, List.of(), Simulations.Flags.NONE);
        assertEquals("default", r.get(0).karpenter().orElseThrow().nodePools().getFirst().name());
        assertEquals("gpu", r.get(1).karpenter().orElseThrow().nodePools().getFirst().name(), "the entry's replaces the global one");
    }

    @Test
    void withoutTheKeyThereIsNoAutoscaler() throws Exception {
        SkciConfig c = ConfigFile.load(config("apiVersion: skci.dev/v1alpha1\nkind: Config\n"));
        assertEquals(Optional.empty(), c.global().cluster().karpenter());
    }

    @Test
    void badKarpenterSettingsAreOneLineNamingTheFile() throws Exception {
        assertRefused("cluster: {autoscaler: {karpenter: {}}}", "skci.yaml: /cluster/autoscaler/karpenter (line 3): required property 'nodePools'");
        assertRefused("cluster: {autoscaler: {karpenter: {nodePools: []}}}", "must have at least 1 items");
        assertRefused("cluster: {autoscaler: {karpenter: {nodePools: [karpenter/pool.yaml], batchIdleDuration: soon}}}",
                "/cluster/autoscaler/karpenter/batchIdleDuration");
        assertRefused("cluster: {autoscaler: {karpenter: {nodePools: [karpenter/pool.yaml], surprise: 1}}}", "unknown key 'surprise'");
        assertRefused("cluster: {autoscaler: {cluster-autoscaler: {}}}", "unknown key 'cluster-autoscaler'");
        assertRefused("cluster: {autoscaler: {karpenter: {nodePools: [karpenter/missing.yaml]}}}",
                "missing.yaml: no such file or directory (named by cluster.autoscaler.karpenter.nodePools)");
        assertRefused("cluster: {autoscaler: {karpenter: {nodePools: [karpenter/class.yaml]}}}", "the files hold no NodePool");
        assertRefused("cluster: {autoscaler: {karpenter: {nodePools: [karpenter/pool.yaml], nodeClasses: [karpenter/gpu.yaml]}}}",
                "NodePools go under nodePools");
        assertRefused("cluster: {autoscaler: {karpenter: {nodePools: [karpenter/pool.yaml], instanceTypes: nope.json}}}",
                "/cluster/autoscaler/karpenter/instanceTypes (line 3): no such file");
    }

    @Test
    void aNodePoolThatContradictsSkcisMarkersIsRefusedWhenTheConfigIsRead() throws Exception {
        Path p = config("""
                apiVersion: skci.dev/v1alpha1
                kind: Config
                cluster: {autoscaler: {karpenter: {nodePools: [karpenter/bad.yaml]}}}
                """);
        Files.writeString(dir.resolve("karpenter/bad.yaml"), POOL.formatted("bad").replace("  template:\n",
                "  template:\n    metadata: {labels: {type: real}}\n"));
        SkciException e = assertThrows(SkciException.class, () -> ConfigFile.load(p));
        assertEquals(SkciException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(dir.resolve("karpenter/bad.yaml") + ": line 1: NodePool bad gives its nodes the label type=real"),
                e.getMessage());
    }

    private void assertRefused(String cluster, String expected) throws Exception {
        Path p = config("apiVersion: skci.dev/v1alpha1\nkind: Config\n" + cluster + "\n");
        SkciException e = assertThrows(SkciException.class, () -> ConfigFile.load(p));
        assertEquals(SkciException.Kind.INVALID_INPUT, e.kind());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
