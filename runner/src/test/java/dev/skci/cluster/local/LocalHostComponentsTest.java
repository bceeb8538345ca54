package dev.skci.cluster.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.cluster.Component;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a simulation starts beside a local cluster (Karpenter) is supervised until it is stopped on purpose. */
class LocalHostComponentsTest {
    @TempDir
    Path tmp;

    @Test
    void aStartedComponentIsSupervisedAndItsDeathReadsAsAnExitWithItsSignal() throws Exception {
        LocalHostComponents host = new LocalHostComponents(new ClusterDir(tmp.resolve("c"), "c"));
        Process p = host.start("toy", idle(host), Map.of());

        Component running = only(host.supervised());
        assertEquals("toy", running.name());
        assertTrue(running.running());
        assertEquals(Optional.empty(), running.exitStatus());

        p.destroyForcibly();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        Component dead = only(host.supervised());
        assertFalse(dead.running(), "a component that died is not running");
        assertEquals(Optional.of("exit status 137: killed by signal 9"), dead.exitStatus());
        assertTrue(dead.describeExit(5).startsWith("toy exited (exit status 137"), dead.describeExit(5));
    }

    @Test
    void aComponentStoppedOnPurposeIsNoLongerSupervised() throws Exception {
        LocalHostComponents host = new LocalHostComponents(new ClusterDir(tmp.resolve("c"), "c"));
        Process p = host.start("toy", idle(host), Map.of());
        host.stop("toy");
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "stop ends the process");
        assertEquals(List.of(), host.supervised());
        assertFalse(host.running("toy"));
    }

    /** A process that runs until killed and names the cluster directory in its command line (as every component must). */
    private static List<String> idle(LocalHostComponents host) throws Exception {
        Path f = host.dir("toy").resolve("follow");
        Files.writeString(f, "");
        return List.of("tail", "-f", f.toString());
    }

    private static Component only(List<Component> list) {
        assertEquals(1, list.size(), list.toString());
        return list.getFirst();
    }
}
