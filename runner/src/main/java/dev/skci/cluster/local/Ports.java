package dev.skci.cluster.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The host ports of one local cluster's components, chosen by skci and written into kwokctl.yaml.
 *
 * <p>kwokctl would choose them itself, as the first free port below 32767 that no cluster in its
 * {@code KWOK_WORKDIR} claims; but every skci cluster has its own workdir, so two clusters booting at once
 * (the shards of a GitLab {@code parallel:} job on one runner) both took 32766 for etcd and one failed.
 * skci skips every port another skci cluster's config names, and chooses under the machine-wide lock
 * the port-allocation {@link dev.skci.cluster.ClusterLock} so the next boot reads this cluster's config with its ports in it.
 */
record Ports(Map<String, Integer> byKey) {
    /** The kwokctl options the binary runtime would otherwise fill from its own allocator. */
    static final List<String> KEYS = List.of("kubeApiserverPort", "etcdPort", "etcdPeerPort",
            "kubeControllerManagerPort", "kubeSchedulerPort", "kwokControllerPort");

    private static final int HIGHEST = 32766;
    private static final int LOWEST = 10000;
    private static final Pattern PORT_LINE = Pattern.compile("(?m)^\\s*-?\\s*(\\w*[pP]ort):\\s*\"?(\\d+)\"?\\s*$");

    Ports {
        byKey = Map.copyOf(byKey);
    }

    int apiServer() {
        return byKey.get("kubeApiserverPort");
    }

    /**
     * Chooses a port for every key; {@code apiServerPort} > 0 is the user's own choice and kept.
     * {@code used} are the ports other clusters claim; {@code free} says whether the host can bind one.
     */
    static Ports choose(int apiServerPort, Set<Integer> used, IntPredicate free) {
        Set<Integer> taken = new HashSet<>(used);
        if (apiServerPort > 0) {
            taken.add(apiServerPort);
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        int next = HIGHEST;
        for (String key : KEYS) {
            if (key.equals("kubeApiserverPort") && apiServerPort > 0) {
                ports.put(key, apiServerPort);
                continue;
            }
            while (next >= LOWEST && (taken.contains(next) || !free.test(next))) {
                next--;
            }
            if (next < LOWEST) {
                throw new IllegalStateException("no free port between " + LOWEST + " and " + HIGHEST);
            }
            ports.put(key, next);
            taken.add(next--);
        }
        return new Ports(ports);
    }

    /** Every port named in the kwokctl configs of the other clusters under {@code clustersRoot}. */
    static Set<Integer> claimedBy(Path clustersRoot, String except) {
        Set<Integer> used = new HashSet<>();
        if (!Files.isDirectory(clustersRoot)) {
            return used;
        }
        try (Stream<Path> dirs = Files.list(clustersRoot)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                String name = d.getFileName().toString();
                if (name.equals(except) || name.startsWith(".")) {
                    continue;
                }
                ClusterDir other = new ClusterDir(d, name);
                // skci's config, and the one kwokctl saved with its own choices (clusters from before this class).
                for (Path conf : List.of(other.kwokctlConfig(), other.kwokCluster().resolve("kwok.yaml"))) {
                    used.addAll(portsIn(conf));
                }
            }
        } catch (IOException e) {
            // An unreadable root only loses the hint; the bind check below still applies.
        }
        return used;
    }

    static Set<Integer> portsIn(Path config) {
        Set<Integer> ports = new HashSet<>();
        try {
            Matcher m = PORT_LINE.matcher(Files.readString(config));
            while (m.find()) {
                ports.add(Integer.parseInt(m.group(2)));
            }
        } catch (IOException | NumberFormatException e) {
            // absent or half-written: nothing claimed
        }
        return ports;
    }

    /** What kwokctl checks: the port binds both on loopback and on every address. */
    static boolean bindable(int port) {
        return bindable(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                && bindable(new InetSocketAddress(port));
    }

    private static boolean bindable(InetSocketAddress address) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(address, 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
