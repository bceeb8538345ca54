package dev.skci.cluster;

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
 * or two test JVMs on one machine). Each provider keeps its lock files in a directory of its own, beside
 * its cluster directories, so removing a cluster's directory does not drop the lock.
 */
public final class ClusterLock implements AutoCloseable {
    private static final ConcurrentHashMap<String, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock lock;

    private ClusterLock(ReentrantLock local, FileChannel channel, FileLock lock) {
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    /** @param locks the provider's lock directory (one 0-byte file per name, kept after down: others may wait on it) */
    public static ClusterLock acquire(Path locks, String name, Duration timeout) {
        return acquire(locks, name, "cluster '" + name + "'", timeout);
    }

    /**
     * A lock named {@code name} in the provider's lock directory, held across threads and processes.
     *
     * @param what what it guards, for messages (e.g. the local provider's port allocation, held until
     *     its kwokctl.yaml names the ports, so a cluster booting at the same time skips them)
     */
    public static ClusterLock acquire(Path locks, String name, String what, Duration timeout) {
        // Kept after down (removing a lock file others may wait on would break the lock); 0 bytes each.
        Path file = locks.resolve(name + ".lock");
        ReentrantLock local = IN_JVM.computeIfAbsent(file.toString(), n -> new ReentrantLock());
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
