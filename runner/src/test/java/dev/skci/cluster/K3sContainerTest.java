package dev.skci.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Optional: where a Docker engine exists, the status probe and client plumbing also work against a
 * K3s cluster in a container (the kind of cluster the {@code existing} provider adopts). Where there is
 * no Docker engine this reports itself skipped with the reason; it is the only cluster test that may skip.
 */
@Tag("cluster")
class K3sContainerTest {

    @Test
    void statusProbeReadsAK3sClusterInDocker(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine reachable (Testcontainers found none); the local provider's tests cover the cluster without Docker");
        try (K3sContainer k3s = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.33.5-k3s1"))) {
            k3s.start();
            Path kubeconfig = tmp.resolve("k3s.yaml");
            Files.writeString(kubeconfig, k3s.getKubeConfigYaml());

            ClusterStatus s = StatusProbe.observe("k3s", "existing", kubeconfig, Map.of(), List.of());

            assertTrue(s.apiReachable(), s.problems().toString());
            assertTrue(s.componentVersions().get("kube-apiserver").startsWith("v1.33"), s.componentVersions().toString());
            assertTrue(s.nodes() >= 1 && s.readyNodes() >= 1, s.toString());
        }
    }
}
