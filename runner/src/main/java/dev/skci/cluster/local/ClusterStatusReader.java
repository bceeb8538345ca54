package dev.skci.cluster.local;

import dev.skci.cluster.ClusterStatus;
import dev.skci.cluster.StatusProbe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The status of a local cluster: its recorded versions, its processes, and what the API server says. */
final class ClusterStatusReader {
    private ClusterStatusReader() {}

    static ClusterStatus read(ClusterDir dir, BinarySet bins, Optional<String> health) {
        PinnedVersions v = ClusterState.read(dir.stateFile()).map(ClusterState::versions).orElse(bins.versions());
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("kube-apiserver", v.kubernetes());
        versions.put("etcd", v.etcd());
        versions.put("kwok", v.kwok());
        versions.put("cert-manager", v.certManager());
        List<String> problems = new ArrayList<>();
        health.ifPresent(problems::add);
        LocalCertManager cm = new LocalCertManager(bins, dir);
        if (!cm.controllerRunning()) {
            problems.add(LocalCertManager.CONTROLLER + " is not running");
        }
        if (!cm.cainjectorRunning()) {
            problems.add(LocalCertManager.CAINJECTOR + " is not running");
        }
        return StatusProbe.observe(dir.name(), LocalProvider.NAME, dir.kubeconfig(), versions, problems);
    }
}
