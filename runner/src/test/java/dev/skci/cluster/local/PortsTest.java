package dev.skci.cluster.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortsTest {
    @Test
    void skipsPortsAnotherClusterClaimsAndOnesTheHostHolds() {
        // 32766 and 32765 belong to a cluster booting beside this one; 32763 is bound by some program.
        Ports p = Ports.choose(0, Set.of(32766, 32765), port -> port != 32763);
        assertEquals(Set.copyOf(Ports.KEYS), p.byKey().keySet());
        Set<Integer> chosen = new HashSet<>(p.byKey().values());
        assertEquals(Ports.KEYS.size(), chosen.size(), "a port handed out twice: " + p);
        assertTrue(Collections.disjoint(chosen, Set.of(32766, 32765, 32763)), p.toString());
        assertEquals(32764, p.apiServer());
    }

    @Test
    void keepsTheUsersApiServerPortAndNeverHandsItToAnotherComponent() {
        Ports p = Ports.choose(32760, Set.of(), port -> true);
        assertEquals(32760, p.apiServer());
        assertEquals(1, Collections.frequency(p.byKey().values(), 32760), p.toString());
    }

    @Test
    void twoClustersChosenOneAfterTheOtherShareNoPort(@TempDir Path root) throws Exception {
        Ports first = Ports.choose(0, Ports.claimedBy(root, "b"), port -> true);
        write(root.resolve("a"), first);
        Ports second = Ports.choose(0, Ports.claimedBy(root, "b"), port -> true);
        assertTrue(Collections.disjoint(second.byKey().values(), first.byKey().values()), first + " / " + second);
        // A cluster's own config does not block its own ports (a re-boot after a stale directory).
        assertEquals(Set.of(), Ports.claimedBy(root, "a"));
    }

    @Test
    void readsPortsKwokctlChoseItselfAndHostPortsOfComponents(@TempDir Path root) throws Exception {
        Path saved = root.resolve("old/kwok/clusters/old/kwok.yaml");
        Files.createDirectories(saved.getParent());
        Files.writeString(saved, "options:\n  etcdPort: 32766\n  kubeApiserverPort: \"32765\"\ncomponents:\n- name: etcd\n"
                + "  ports:\n  - name: http\n    port: 2379\n    hostPort: 32766\n");
        assertTrue(Ports.claimedBy(root, "new").containsAll(Set.of(32766, 32765)));
    }

    @Test
    void bindableSeesAHeldPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertFalse(Ports.bindable(s.getLocalPort()));
        }
    }

    private static void write(Path clusterDir, Ports ports) throws Exception {
        Files.createDirectories(clusterDir);
        StringBuilder y = new StringBuilder("options:\n");
        ports.byKey().forEach((k, v) -> y.append("  ").append(k).append(": ").append(v).append('\n'));
        Files.writeString(clusterDir.resolve("kwokctl.yaml"), y.toString());
    }
}
