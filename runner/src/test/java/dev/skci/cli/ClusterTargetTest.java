package dev.skci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The cluster options every command shares, as picocli really parses them. */
class ClusterTargetTest {
    @CommandLine.Command(name = "t")
    static final class Holder {
        @CommandLine.Mixin
        ClusterTarget target = new ClusterTarget();
    }

    private static ClusterTarget parse(String... args) {
        Holder h = new Holder();
        new CommandLine(h).parseArgs(args);
        return h.target;
    }

    @Test
    void deprecatedClusterNameIsHonoured() {
        // A regression: picocli applied --name's default after the deprecated setter, so the old flag was ignored.
        assertEquals("skci-ci-gh", parse("--cluster-name", "skci-ci-gh").checkedName());
    }

    @Test
    void nameWinsOverTheOldSpelling() {
        assertEquals("new", parse("--cluster-name", "old", "--name", "new").checkedName());
        assertEquals("skci", parse().checkedName());
    }

    @Test
    void kubeconfigImpliesExisting() {
        assertEquals("existing", parse("--kubeconfig", "/tmp/k").providerName());
        assertEquals("local", parse().providerName());
    }
}
