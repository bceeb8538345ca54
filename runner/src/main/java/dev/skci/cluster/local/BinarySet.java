package dev.skci.cluster.local;

import dev.skci.SkciException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The pinned binaries in the cache directory that scripts/build-binaries.sh fills. */
public record BinarySet(Path dir, PinnedVersions versions) {

    /** Every file the local provider needs; the same list the build script checks. */
    public static final List<String> FILES = List.of(
            "kube-apiserver",
            "kube-controller-manager",
            "kube-scheduler",
            "kubectl",
            "etcd",
            "kwok",
            "kwokctl",
            "cert-manager-controller",
            "cert-manager-cainjector",
            "cert-manager-crds.yaml");

    public static final String SETUP_COMMAND = "scripts/build-binaries.sh";

    public static BinarySet pinned() {
        PinnedVersions v = PinnedVersions.load();
        return new BinarySet(v.binDir(), v);
    }

    /** The set for another Kubernetes release (one of {@link PinnedVersions#kubernetesReleases}). */
    public static BinarySet forKubernetes(String release) {
        PinnedVersions v = PinnedVersions.load().withKubernetes(release);
        return new BinarySet(v.binDir(), v);
    }

    public List<String> missing() {
        return FILES.stream().filter(f -> !Files.exists(dir.resolve(f))).toList();
    }

    /** Fails with one line naming the setup command (exit 3) when any binary is missing. */
    public BinarySet require() {
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            String what = missing.size() == FILES.size() ? "no control-plane binaries in " + dir
                    : "control-plane binaries missing in " + dir + " (" + String.join(", ", missing) + ")";
            throw SkciException.environment(what + "; build them once with " + SETUP_COMMAND);
        }
        return this;
    }

    public Path path(String file) {
        return dir.resolve(file);
    }

    public Path kubeApiserver() {
        return path("kube-apiserver");
    }

    public Path kubeControllerManager() {
        return path("kube-controller-manager");
    }

    public Path kubeScheduler() {
        return path("kube-scheduler");
    }

    public Path kubectl() {
        return path("kubectl");
    }

    public Path etcd() {
        return path("etcd");
    }

    public Path kwok() {
        return path("kwok");
    }

    public Path kwokctl() {
        return path("kwokctl");
    }

    public Path certManagerController() {
        return path("cert-manager-controller");
    }

    public Path certManagerCainjector() {
        return path("cert-manager-cainjector");
    }

    public Path certManagerCrds() {
        return path("cert-manager-crds.yaml");
    }
}
