package dev.skci.cluster.kind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The kind config a cluster is created with: the share directory's {@code kind-config.yaml} (one node;
 * kubeadm patches that give kube-controller-manager and kube-scheduler leader election off, no client
 * QPS limit and a one-hour node-monitor grace period, as the local provider runs them), plus one patch
 * where this host cannot grant {@code CAP_SYS_RESOURCE}.
 *
 * <p>Without that capability (the test VMs; not EC2) no process may lower its {@code oom_score_adj}, and
 * runc fails every pod whose spec asks for a negative one (the kubelet gives static pods -997) with
 * "can't get final child's PID from pipe". containerd's {@code restrict_oom_score_adj}, what rootless
 * kind uses, clamps pods to containerd's own score instead. Same rule as {@code ami-scripts/kind-cluster.sh}.
 */
final class KindConfig {
    static final int CAP_SYS_RESOURCE = 24;
    static final String RESTRICT_OOM_SCORE_ADJ = """
            containerdConfigPatches:
              - |
                [plugins."io.containerd.grpc.v1.cri"]
                  restrict_oom_score_adj = true
            """;

    private KindConfig() {}

    /** The config text for {@code base}, given this process's capability bounding set (empty: unknown). */
    static String render(Path base, Optional<BigInteger> capBnd) {
        try {
            String config = Files.readString(base);
            if (!config.endsWith("\n")) {
                config += "\n";
            }
            return lacksSysResource(capBnd) ? config + RESTRICT_OOM_SCORE_ADJ : config;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kind config " + base, e);
        }
    }

    static boolean lacksSysResource(Optional<BigInteger> capBnd) {
        return capBnd.map(c -> !c.testBit(CAP_SYS_RESOURCE)).orElse(false);
    }

    /** {@code CapBnd} of /proc/self/status, or empty where there is none (not Linux). */
    static Optional<BigInteger> ownCapabilityBound() {
        try {
            return parseCapBnd(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Optional<BigInteger> parseCapBnd(String status) {
        return status.lines().filter(l -> l.startsWith("CapBnd:")).findFirst()
                .map(l -> new BigInteger(l.substring("CapBnd:".length()).strip(), 16));
    }
}
