package dev.skci.cluster.local;

import dev.skci.SkciException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import dev.skci.wait.Wait;

/**
 * Serialises {@code up} and {@code down} of one cluster name across threads and processes (two CI jobs
 * or two test JVMs on one machine). The lock file sits beside the cluster directory so removing the
 * directory does not drop the lock.
 */
final class ClusterLock implements AutoCloseable {
    private static final ConcurrentHashMap<String, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock lock;

    private ClusterLock(ReentrantLock local, FileChannel channel, FileLock lock) {
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    static ClusterLock acquire(String name, Duration timeout) {
        return acquire(name, "cluster '" + name + "'", timeout);
    }

    /**
     * The machine-wide lock around choosing a cluster's ports ({@link Ports}): held until its kwokctl.yaml
     * names them, so a cluster booting at the same time skips them.
     */
    static ClusterLock ports(Duration timeout) {
        return acquire(".ports", "port allocation (another cluster is booting)", timeout);
    }

    private static ClusterLock acquire(String name, String what, Duration timeout) {
        // Kept after down (removing a lock file others may wait on would break the lock); 0 bytes each.
        Path file = ClusterDir.clustersRoot().resolve(".locks").resolve(name + ".lock");
        ReentrantLock local = IN_JVM.computeIfAbsent(name, n -> new ReentrantLock());
        try {
            if (!local.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy(what, timeout);
            }
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock[] lock = new FileLock[1];
            boolean got;
            try {
                got = Wait.poll("the lock of " + what, timeout).tryUntil(() -> {
                    lock[0] = channel.tryLock();
                    return lock[0] != null ? null : "held by another skci process";
                });
            } catch (RuntimeException e) {
                channel.close();
                throw e;
            }
            if (!got) {
                channel.close();
                local.unlock();
                throw busy(what, timeout);
            }
            return new ClusterLock(local, channel, lock[0]);
        } catch (IOException e) {
            local.unlock();
            throw SkciException.environment("cannot lock " + what + " (" + file + ": " + e.getMessage()
                    + "); check that this user may write there, or set SKCI_CACHE_DIR to a directory it owns", e);
        } catch (InterruptedException e) {
            throw SkciException.interrupted("waiting for the lock of " + what, e);
        } catch (RuntimeException e) {
            if (local.isHeldByCurrentThread()) {
                local.unlock();
            }
            throw e;
        }
    }

    private static SkciException busy(String what, Duration timeout) {
        return SkciException.environment("another skci process has held the lock of " + what + " for "
                + timeout.toSeconds() + "s; wait for it, or stop it ('skci cluster list' shows the clusters)");
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            local.unlock();
        }
    }
}
