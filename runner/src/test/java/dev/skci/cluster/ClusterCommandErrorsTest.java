package dev.skci.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.cli.Cli;
import dev.skci.testing.ChildJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad environment gets one line saying what is wrong and what to do, and the documented exit code. */
class ClusterCommandErrorsTest {

    @Test
    void missingBinariesNameTheSetupCommandAndExit3(@TempDir Path cache) {
        ChildJvm.Result r = ChildJvm.skci(Map.of("SKCI_CACHE_DIR", cache.toString()), 60, "cluster", "up", "--name", "nobins");
        assertEquals(3, r.exit(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        String line = r.errLines().getFirst();
        assertTrue(line.startsWith("skci: no control-plane binaries in " + cache), line);
        assertTrue(line.contains("scripts/build-binaries.sh"), line);
        assertTrue(r.out().isEmpty());
        assertTrue(Files.notExists(cache.resolve("clusters/nobins")), "nothing may be left behind");
    }

    @Test
    void aPortInUseIsReportedBeforeAnythingStarts() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Result r = Cli.run("cluster", "up", "--name", "portclash-" + ProcessHandle.current().pid(),
                    "--api-port", Integer.toString(taken.getLocalPort()));
            assertEquals(3, r.exit(), r.toString());
            assertEquals(1, r.errLines().size(), r.toString());
            assertTrue(r.errLines().getFirst().contains("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use"), r.toString());
        }
    }

    @Test
    void aKubeconfigOfADeadClusterSaysSoInOneLine(@TempDir Path tmp) throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        Path kubeconfig = tmp.resolve("dead.yaml");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: dead
                  cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
                users:
                - name: u
                  user: {token: nothing}
                contexts:
                - name: dead
                  context: {cluster: dead, user: u}
                current-context: dead
                """.formatted(deadPort));

        Cli.Result r = Cli.run("cluster", "up", "--provider", "existing", "--kubeconfig", kubeconfig.toString());

        assertEquals(3, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        String line = r.errLines().getFirst();
        assertTrue(line.contains("https://127.0.0.1:" + deadPort) && line.contains("not reachable") && line.contains(kubeconfig.toString()), line);
    }

    @Test
    void badNamesAndShapesAreInvalidInput() {
        assertEquals(2, Cli.run("cluster", "up", "--name", "../etc").exit());
        assertEquals(2, Cli.run("cluster", "up", "--node-memory", "lots").exit());
        assertEquals(2, Cli.run("cluster", "up", "--nodes", "0").exit());
        assertEquals(2, Cli.run("cluster", "status", "--provider", "nope").exit());
        assertEquals(2, Cli.run("cluster", "up", "--provider", "existing").exit());
    }

    /** No autoscaler in the config, so nothing would make the nodes: one line, exit 2, before any cluster work. */
    @Test
    void runWithNoNodesAndNoAutoscalerIsInvalidInput() {
        Cli.Result r = Cli.run("run", "--nodes", "0", dev.skci.TestData.sharedTrace("cronjob.sktrace").toString());
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("--nodes must be between 1 and 10000, got 0 (0 only with an autoscaler"), r.err());
    }

    @Test
    void statusOfAnUnknownClusterSaysHowToStartOne() {
        Cli.Result r = Cli.run("cluster", "status", "--name", "never-booted-" + ProcessHandle.current().pid());
        assertEquals(3, r.exit());
        assertTrue(r.errLines().getFirst().contains("skci cluster up --name never-booted-"), r.toString());
    }

    @Test
    void everySubcommandHasHelpWithExamples() {
        for (String sub : new String[] {"up", "status", "down"}) {
            Cli.Result r = Cli.run("cluster", sub, "--help");
            assertEquals(0, r.exit());
            assertTrue(r.out().contains("Examples:") && r.out().contains("skci cluster " + sub), r.out());
        }
    }
}
