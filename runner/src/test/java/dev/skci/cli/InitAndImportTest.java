package dev.skci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.TestData;
import dev.skci.cluster.PoolSpec;
import dev.skci.config.ClusterConfig;
import dev.skci.config.ConfigFile;
import dev.skci.config.SkciConfig;
import dev.skci.verdict.DefaultCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code skci nodes import} and {@code skci init}: what they write reads back, and validates. */
class InitAndImportTest {
    private static Path nodes(String name) throws Exception {
        return Path.of(InitAndImportTest.class.getResource("/dev/skci/nodes/" + name).toURI());
    }

    @Test
    void importWritesAPoolsFileThatAConfigCanName(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("pools.yaml");
        Cli.Result r = Cli.run("nodes", "import", nodes("eks-nodes.json").toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.err().contains("11 node(s) grouped into 3 pool(s): general 6, gpu 2, spot 3"), r.err());
        assertTrue(r.err().contains("left out label alpha.eksctl.io/instance-id: names a single node"), r.err());
        String yaml = Files.readString(out);
        assertTrue(yaml.startsWith("# Node pools of 11 production node(s)"), yaml);
        assertTrue(yaml.contains("  # 2 node(s) of g5.xlarge\n  - name: gpu\n"), yaml);
        List<PoolSpec> pools = ClusterConfig.loadPools(out);
        assertEquals(List.of(6, 2, 3), pools.stream().map(PoolSpec::count).toList());

        Path config = dir.resolve("skci.yaml");
        Files.writeString(config, "apiVersion: skci.dev/v1alpha1\nkind: Config\ncluster:\n  nodePools: pools.yaml\n");
        assertEquals(pools, ConfigFile.load(config).global().cluster().nodePools().orElseThrow());

        Cli.Result stdout = Cli.run("nodes", "import", nodes("gke-nodes.json").toString());
        assertEquals(0, stdout.exit(), stdout.toString());
        assertTrue(stdout.out().contains("kind: NodePools") && stdout.out().contains("- name: highmem"), stdout.out());
    }

    @Test
    void importOfSomethingElseIsExit2(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.json");
        Files.writeString(f, "[1, 2]");
        Cli.Result r = Cli.run("nodes", "import", f.toString());
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
    }

    @Test
    void initWritesAConfigThatValidatesWithTheDefaultChecksAndThePools(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("ci/skci.yaml");
        Path trace = TestData.projectTrace("cronjob.sktrace");
        Cli.Result r = Cli.run("init", "--trace", trace.toString(), "--nodes", nodes("eks-nodes.json").toString(), "-o", config.toString());
        assertEquals(0, r.exit(), r.toString());
        String yaml = Files.readString(config);
        for (DefaultCheck c : DefaultCheck.values()) {
            assertTrue(yaml.contains("#   " + c.id() + " "), "lists " + c.id() + ":\n" + yaml);
        }
        assertTrue(yaml.contains("docs/config.md"), yaml);
        SkciConfig c = ConfigFile.load(config);
        assertEquals(trace.toRealPath(), c.simulations().getFirst().trace().toRealPath(), "the trace, relative to the config");
        assertEquals(List.of("general", "gpu", "spot"), c.global().cluster().nodePools().orElseThrow().stream().map(PoolSpec::name).toList());
        assertEquals(List.of("scheduled-quickly"), c.global().expectations().stream().map(x -> x.name()).toList());
        Cli.Result valid = Cli.run("validate", "--config", config.toString());
        assertEquals(0, valid.exit(), valid.toString());

        Cli.Result again = Cli.run("init", "-o", config.toString());
        assertEquals(2, again.exit(), "an existing file is not overwritten without --force: " + again);
        Cli.Result plain = Cli.run("init", "-o", config.toString(), "--force");
        assertEquals(0, plain.exit(), plain.toString());
        assertEquals(List.of("general"), ConfigFile.load(config).global().cluster().nodePools().orElseThrow().stream().map(PoolSpec::name)
                .toList(), "without --nodes, an example pool");
    }

    @Test
    void initSuggestsASpeedThatKeepsTheReplayShort() {
        assertEquals(1, InitCommand.speedFor(300));
        assertEquals(2, InitCommand.speedFor(1_000));
        assertEquals(10, InitCommand.speedFor(3_600));
        assertEquals(200, InitCommand.speedFor(86_400));
    }
}
