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
        Path file = locks.resolve(name + ".lock");
        ReentrantLock local = IN_JVM.computeIfAbsent(file.toString(), n -> new ReentrantLock());
        try {
            if (!local.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy(name, timeout);
            }
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock[] lock = new FileLock[1];
            boolean got;
            try {
                got = Wait.poll("the lock of cluster '" + name + "'", timeout).tryUntil(() -> {
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
                throw busy(name, timeout);
            }
            return new ClusterLock(local, channel, lock[0]);
        } catch (IOException e) {
            local.unlock();
            throw SkciException.environment("cannot lock cluster '" + name + "' (" + file + ": " + e.getMessage()
                    + "); check that this user may write there, or set SKCI_CACHE_DIR to a directory it owns", e);
        } catch (InterruptedException e) {
            throw SkciException.interrupted("waiting for the lock of cluster '" + name + "'", e);
        } catch (RuntimeException e) {
            if (local.isHeldByCurrentThread()) {
                local.unlock();
            }
            throw e;
        }
    }

    private static SkciException busy(String name, Duration timeout) {
        return SkciException.environment("another skci process has been starting or stopping cluster '" + name + "' for "
                + timeout.toSeconds() + "s; wait for it or use another --name");
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
