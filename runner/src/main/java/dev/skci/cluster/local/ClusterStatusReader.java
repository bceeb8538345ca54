package dev.skci.cluster.local;

import dev.skci.cluster.ClusterStatus;
import dev.skci.cluster.Component;
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
        List<Component> processes = new LocalComponents(bins, dir, new LocalCertManager(bins, dir)).list();
        for (Component c : processes) {
            String line = c.name() + " is not running";
            if (!c.running() && !problems.contains(line)) {
                problems.add(line);
            }
        }
        return StatusProbe.observe(dir.name(), LocalProvider.NAME, dir.kubeconfig(), versions, problems, processes);
    }
}
