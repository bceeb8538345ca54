package dev.skci.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Components skci runs beside a cluster as processes on this host, against the cluster's kubeconfig (Karpenter, for
 * {@code cluster.autoscaler.karpenter}). Only a provider whose cluster skci owns offers this: the processes are part of
 * the cluster, so they outlive the JVM that started them (a pid file each), their logs sit with the other component
 * logs (and so land in the diagnostics bundle), and tearing the cluster down ends them even after a crash.
 */
public interface HostComponents {
    /**
     * Starts {@code argv} as component {@code name} in its own session, output appended to {@link #log}. {@code argv}
     * must contain {@link #marker()} (a path under {@link #dir}, say), by which teardown recognises the process.
     */
    Process start(String name, List<String> argv, Map<String, String> env);

    /** Stops the component (SIGTERM, then SIGKILL) if it runs; a no-op otherwise. */
    void stop(String name);

    /** Whether the component's process runs (checked by pid and command line, so a recycled pid does not count). */
    boolean running(String name);

    /** The component's log file. */
    Path log(String name);

    /** A directory of the component's own (created on demand), inside the cluster's working directory. */
    Path dir(String name);

    /** The string every process of this cluster carries in its command line. */
    String marker();

    /** A free TCP port on 127.0.0.1 for a component's listener. */
    int freePort();
}
