package dev.skci.kind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.testing.Poll;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;

/**
 * The offline kind node image (scripts/kind/build-node-image.sh) booted by Testcontainers the way kind
 * starts a node (privileged, tmpfs /run and /tmp, an anonymous volume for /var): systemd must come up,
 * containerd and the kubelet unit must be enabled, and the node's containerd must already hold every
 * image kubeadm of the pinned Kubernetes asks for (kubeadm's own list, not a copy of it) plus KWOK's
 * and cert-manager's, so a cluster from this image never pulls.
 */
@Tag("kind")
class KindNodeImageTest {

    @Test
    void nodeBootsSystemdAndCarriesEveryImageKubeadmNeeds() throws Exception {
        try (GenericContainer<?> node = KindImages.local(KindImages.nodeImage())
                .withPrivilegedMode(true)
                .withTmpFs(Map.of("/run", "rw", "/tmp", "rw"))
                .withCreateContainerCmdModifier(cmd -> cmd.withVolumes(new com.github.dockerjava.api.model.Volume("/var")))) {
            node.start();

            String state = Poll.until(Duration.ofSeconds(90), "systemd in the node to finish booting", () -> {
                String s = exec(node, "systemctl", "is-system-running").getStdout().trim();
                return s.equals("running") || s.equals("degraded") ? s : null;
            });
            assertEquals("running", state, () -> "failed units: " + exec(node, "systemctl", "--failed", "--no-legend").getStdout());
            assertEquals("active", exec(node, "systemctl", "is-active", "containerd").getStdout().trim());
            assertEquals("enabled", exec(node, "systemctl", "is-enabled", "kubelet").getStdout().trim());

            String k8s = KindImages.PINS.kubernetes();
            assertEquals(k8s, exec(node, "cat", "/kind/version").getStdout().trim());
            assertEquals("Kubernetes " + k8s, exec(node, "kubelet", "--version").getStdout().trim());
            assertTrue(exec(node, "kubeadm", "version", "-o", "short").getStdout().trim().equals(k8s));

            Set<String> inContainerd = lines(Poll.until(Duration.ofSeconds(30), "the node's containerd to list its images",
                    () -> {
                        ExecResult r = exec(node, "ctr", "--namespace=k8s.io", "images", "list", "-q");
                        return r.getExitCode() == 0 ? r.getStdout() : null;
                    }));
            Set<String> kubeadmWants = lines(exec(node, "kubeadm", "config", "images", "list", "--kubernetes-version", k8s).getStdout());
            assertTrue(kubeadmWants.size() >= 7, kubeadmWants.toString());
            Set<String> missing = new TreeSet<>(kubeadmWants);
            missing.removeAll(inContainerd);
            assertTrue(missing.isEmpty(), "kubeadm needs images the node does not carry: " + missing);

            List<String> forSkci = List.of("registry.k8s.io/kwok/kwok:" + KindImages.PINS.kwok(),
                    "quay.io/jetstack/cert-manager-controller:" + KindImages.PINS.certManager(),
                    "quay.io/jetstack/cert-manager-cainjector:" + KindImages.PINS.certManager(),
                    "quay.io/jetstack/cert-manager-webhook:" + KindImages.PINS.certManager());
            assertTrue(inContainerd.containsAll(forSkci), "node images: " + inContainerd);

            // containerd's CRI plugin is configured to write the pod network from skci's template.
            String criConfig = exec(node, "crictl", "info").getStdout();
            assertTrue(criConfig.contains("/etc/containerd/cni.template"), criConfig);
        }
    }

    private static ExecResult exec(GenericContainer<?> c, String... command) {
        try {
            return c.execInContainer(command);
        } catch (Exception e) {
            throw new IllegalStateException("exec " + String.join(" ", command) + ": " + e, e);
        }
    }

    private static Set<String> lines(String s) {
        return Arrays.stream(s.split("\n")).map(String::trim).filter(l -> !l.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
