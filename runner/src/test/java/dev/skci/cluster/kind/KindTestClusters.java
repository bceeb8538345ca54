package dev.skci.cluster.kind;

import dev.skci.testing.SharedCluster;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The kind provider as cluster tests use it: inputs from the kind stage's {@code -Dskci.kind.shareDir}
 * (else where the runner would look), and removal of test clusters whose JVM is gone.
 */
public final class KindTestClusters {
    private KindTestClusters() {}

    public static KindProvider provider(Consumer<String> progress) {
        return new KindProvider(KindProvider.Options.DEFAULT, Optional.empty(), progress, System::getenv);
    }

    /** kind clusters named {@code prefix<pid>} of test JVMs that no longer run. */
    public static void removeOrphans(String prefix, Consumer<String> progress) {
        KindCli cli = KindCli.find(KindShare.locate(System::getenv).kind());
        for (String name : cli.clusters()) {
            if (SharedCluster.deadPid(name, prefix)) {
                progress.accept("removing kind cluster " + name + " left by a test JVM that is gone");
                provider(progress).down(name);
            }
        }
    }

    /** True when kind has a cluster of that name. */
    public static boolean exists(String name) {
        return KindCli.find(KindShare.locate(System::getenv).kind()).exists(name);
    }
}
