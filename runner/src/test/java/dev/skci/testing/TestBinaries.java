package dev.skci.testing;

import dev.skci.TestData;
import dev.skci.cluster.local.BinarySet;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure the pinned control-plane binaries exist before a cluster test runs: builds them with the
 * project's setup script when they are missing, rather than skipping the tests. The script takes a lock,
 * so test JVMs that start together build once.
 */
public final class TestBinaries {
    private static final long BUILD_TIMEOUT_MINUTES = 60;

    private TestBinaries() {}

    /** Karpenter's KWOK provider, built with scripts/build-karpenter.sh when it is missing (the Karpenter cluster tests). */
    public static dev.skci.autoscaler.KarpenterBinaries ensureKarpenter() {
        var bins = dev.skci.autoscaler.KarpenterBinaries.pinned();
        if (bins.missing().isEmpty()) {
            return bins;
        }
        System.err.println("[skci tests] Karpenter missing " + bins.missing() + "; running " + dev.skci.autoscaler.KarpenterBinaries.SETUP_COMMAND
                + " (a cold build takes several minutes)");
        build(dev.skci.autoscaler.KarpenterBinaries.SETUP_COMMAND);
        return bins.require();
    }

    private static void build(String script) {
        ProcessBuilder pb = new ProcessBuilder("bash", TestData.repoRoot().resolve(script).toString())
                .directory(TestData.repoRoot().toFile())
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process p = pb.start();
            if (!p.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(script + " did not finish within " + BUILD_TIMEOUT_MINUTES + " minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(script + " failed with exit " + p.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building binaries", e);
        }
    }

    public static BinarySet ensure() {
        BinarySet bins = BinarySet.pinned();
        if (bins.missing().isEmpty()) {
            return bins;
        }
        System.err.println("[skci tests] control-plane binaries missing " + bins.missing() + "; running "
                + BinarySet.SETUP_COMMAND + " (a cold build takes several minutes)");
        ProcessBuilder pb = new ProcessBuilder("bash", TestData.repoRoot().resolve(BinarySet.SETUP_COMMAND).toString())
                .directory(TestData.repoRoot().toFile())
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process p = pb.start();
            if (!p.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(BinarySet.SETUP_COMMAND + " did not finish within " + BUILD_TIMEOUT_MINUTES + " minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(BinarySet.SETUP_COMMAND + " failed with exit " + p.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + BinarySet.SETUP_COMMAND, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building binaries", e);
        }
        return bins.require();
    }
}
