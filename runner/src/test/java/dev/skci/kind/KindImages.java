package dev.skci.kind;

import dev.skci.cluster.local.PinnedVersions;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The locally built images the {@code kind} tests run. scripts/stages/kind.sh builds them
 * (scripts/kind/build-node-image.sh) and passes the node image as {@code -Dskci.kind.nodeImage};
 * these tests are tagged {@code kind} and run only in that stage, so a missing image is a failure,
 * never a skip. Images are never pulled: no registry is reachable where they are built.
 */
final class KindImages {
    static final PinnedVersions PINS = PinnedVersions.load();

    private KindImages() {}

    static String nodeImage() {
        String image = System.getProperty("skci.kind.nodeImage", "");
        if (image.isBlank()) {
            throw new IllegalStateException("-Dskci.kind.nodeImage is not set; run these tests through scripts/stages/kind.sh");
        }
        return image;
    }

    static String kubeApiServer() {
        return "registry.k8s.io/kube-apiserver:" + PINS.kubernetes();
    }

    /** The etcd image kubeadm of the pinned Kubernetes expects (tools/versions.env KIND_ETCD_VERSION). */
    static String etcd() {
        return "registry.k8s.io/etcd:" + System.getProperty("skci.kind.etcdTag", "3.5.24-0");
    }

    /** A container of a local image that Testcontainers must not try to pull. */
    static GenericContainer<?> local(String image) {
        return new GenericContainer<>(DockerImageName.parse(image)).withImagePullPolicy(name -> false);
    }
}
