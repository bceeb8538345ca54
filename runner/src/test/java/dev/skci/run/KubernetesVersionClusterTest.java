package dev.skci.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.cli.Cli;
import dev.skci.testing.Workloads;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run, two simulations of the same trace: the first on the default Kubernetes release, the second on the next
 * pinned minor ({@code cluster.kubernetesVersion: "1.34"}): the cluster is replaced between them and the kept one
 * runs v1.34.4. Also tagged {@code k8s-extra}, which the default cluster suite excludes (pom.xml), so it never builds
 * the v1.34 binaries (about 24 minutes cold on 2 cores); docs/testing.md says how to run it.
 */
@Tag("cluster")
@Tag("k8s-extra")
class KubernetesVersionClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSimulationOnTheNextMinorGetsAClusterOfThatVersion(@TempDir Path tmp) throws Exception {
        String name = "pools-v134-" + ProcessHandle.current().pid();
        Path trace = Workloads.dsbLike(tmp, "dsb.sktrace", 2, 2, "1", 30);
        Path config = tmp.resolve("skci.yaml");
        Files.writeString(config, """
                apiVersion: skci.dev/v1alpha1
                kind: Config
                simulations:
                  - trace: dsb.sktrace
                  - trace: dsb.sktrace
                    cluster:
                      kubernetesVersion: "1.34"
                """);
        try {
            Cli.Result r = Cli.run("run", "--name", name, "--config", config.toString(), "--keep-cluster", "--report-dir",
                    tmp.resolve("r").toString());
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.err().contains("the next simulation asks for Kubernetes v1.34; cluster '" + name + "' runs v1.33.13, so it is replaced"),
                    r.err());
            JsonNode sims = JSON.readTree(tmp.resolve("r/summary.json").toFile()).get("simulations");
            assertEquals(2, sims.size(), sims.toString());

            Cli.Result status = Cli.run("cluster", "status", "--name", name, "--json");
            assertEquals(0, status.exit(), status.toString());
            JsonNode components = JSON.readTree(status.out()).get("components");
            assertTrue(components.toString().contains("v1.34.4") && !components.toString().contains("v1.33"), components.toString());
        } finally {
            Cli.run("cluster", "down", "--name", name);
        }
    }
}
