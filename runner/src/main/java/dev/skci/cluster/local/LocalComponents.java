package dev.skci.cluster.local;

import dev.skci.SkciException;
import dev.skci.cluster.Component;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes of one local cluster, kwokctl's control plane and cert-manager: which of them run, with
 * which flags, and starting again those that do not. A restart goes through the tool that started the
 * component ({@code kwokctl start cluster} starts exactly the control-plane components that are not
 * running; cert-manager is started by skci), so a restarted component has the same flags as before.
 */
final class LocalComponents {
    private static final Logger LOG = LoggerFactory.getLogger(LocalComponents.class);
    static final Duration RESTART_TIMEOUT = Duration.ofSeconds(60);

    private final BinarySet bins;
    private final ClusterDir dir;
    private final LocalCertManager certManager;

    LocalComponents(BinarySet bins, ClusterDir dir, LocalCertManager certManager) {
        this.bins = bins;
        this.dir = dir;
        this.certManager = certManager;
    }

    /** The control plane first, then cert-manager. */
    List<Component> list() {
        List<Component> all = new ArrayList<>(ControlPlane.components(dir));
        all.addAll(certManager.components());
        return all;
    }

    /** The names of the components that are not running. */
    List<String> stopped() {
        return list().stream().filter(c -> !c.running()).map(Component::name).toList();
    }

    /**
     * Starts every stopped component and returns once each runs again and the API server reports
     * ready; returns the names restarted. Throws an environment error naming the component that would
     * not start.
     */
    List<String> restartStopped(KubernetesClient client) {
        List<String> stopped = stopped();
        if (stopped.isEmpty()) {
            return stopped;
        }
        LOG.info("restarting {} of cluster '{}'", stopped, dir.name());
        if (stopped.stream().anyMatch(ControlPlane.COMPONENTS::contains)) {
            // kwokctl counts a process as running while its pid still answers signal 0, which a killed one
            // does until its parent reaps it (a zombie: init may take seconds, a container's may never); its
            // pid file would keep kwokctl from starting it again.
            for (String name : stopped) {
                if (ControlPlane.COMPONENTS.contains(name)) {
                    deletePidFile(dir.kwokPids().resolve(name + ".pid"));
                }
            }
            Kwokctl.Result r = new Kwokctl(bins, dir).startCluster();
            if (!r.ok()) {
                throw SkciException.environment("could not restart " + String.join(", ", stopped) + " of cluster '" + dir.name()
                        + "': kwokctl start cluster failed: " + r.output().strip().lines().reduce((a, b) -> b).orElse("no output")
                        + " (logs in " + dir.logs() + ")");
            }
            ControlPlane.awaitReady(dir, client, RESTART_TIMEOUT);
        }
        certManager.startAll(); // a no-op for a component that runs
        return stopped;
    }

    private static void deletePidFile(java.nio.file.Path pidFile) {
        try {
            java.nio.file.Files.deleteIfExists(pidFile);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot remove " + pidFile, e);
        }
    }
}
