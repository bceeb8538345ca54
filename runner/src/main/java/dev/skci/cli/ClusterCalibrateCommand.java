package dev.skci.cli;

import dev.skci.ExitCode;
import dev.skci.SkciException;
import dev.skci.cluster.ClusterProvider;
import dev.skci.cluster.ClusterSpec;
import dev.skci.preflight.CapacityStore;
import dev.skci.run.Calibration;
import dev.skci.run.Session;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code skci cluster calibrate}: measure how fast this cluster kind creates and deletes pods on this machine. */
@Command(
        name = "calibrate",
        mixinStandardHelpOptions = true,
        description = {
            "Measures how many pods per second a simulation cluster creates, runs and deletes on this machine,",
            "with skci's runner, webhook and observer in the loop: one real simulation of a burst (Deployments",
            "going from 0 to --pods replicas at once, then back to 0), one to two minutes. The figure is cached",
            "per machine, provider, binary set and control-plane settings under ~/.cache/skci/capacity/; the",
            "preflight of 'skci run' and 'skci inspect --speed' compares each trace's demand with it (without",
            "one they use the documented figure for a 2-core runner). A cluster of that name is adopted if it runs."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  skci cluster calibrate",
            "  skci cluster calibrate --pods 5000 --name calib",
            "  skci inspect --speed 10 my.sktrace       # then: the trace's demand against the measured capacity"
        })
final class ClusterCalibrateCommand implements Callable<Integer> {
    @Mixin
    ClusterTarget target;

    @Option(names = "--pods", defaultValue = "" + Calibration.DEFAULT_PODS, paramLabel = "N",
            description = "Pods in the burst, 200..50000. Default: ${DEFAULT-VALUE}.")
    int pods;

    @Option(names = "--keep-cluster", description = "Leave a cluster this command booted running afterwards.")
    boolean keepCluster;

    @Option(names = "--no-save", description = "Only print the figure; keep the cached one (if any) for the preflight.")
    boolean noSave;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (pods < 200 || pods > 50_000) {
            throw SkciException.invalidInput("--pods must be between 200 and 50000, got " + pods);
        }
        PrintWriter err = spec.commandLine().getErr();
        ClusterProvider provider = target.provider(err);
        // Room for every pod: 110 pods a node by default, so a node per 100 pods leaves headroom.
        ClusterSpec clusterSpec = new ClusterSpec(target.checkedName(), Math.max(3, (pods + 99) / 100), ClusterSpec.NodeShape.DEFAULT);
        Path work = Files.createTempDirectory("skci-calibrate");
        Calibration.Result r;
        try (Session session = Session.open(provider, clusterSpec, keepCluster, line -> {
            err.println("skci: " + line);
            err.flush();
        })) {
            err.println("skci: calibrating: " + pods + " pods at once on " + clusterSpec.nodes() + " virtual nodes (one to two minutes)");
            err.flush();
            r = Calibration.measure(session.cluster(), pods, work, System.err);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "capacity: %.0f pod creations/s, %.0f pods Running/s, %.0f deletions/s%n", r.capacity().creates(),
                r.capacity().running(), r.capacity().deletes());
        out.println("measured: " + r.detail());
        Optional<String> key = provider.capacityKey();
        if (noSave) {
            out.println("not saved (--no-save)");
        } else if (key.isPresent()) {
            try {
                Path saved = CapacityStore.standard().save(key.get(), r.capacity(), r.detail());
                out.println("saved: " + saved + " (the preflight of skci run and skci inspect --speed uses it)");
            } catch (IOException e) {
                throw SkciException.environment("cannot save the measured capacity: " + e.getMessage(), e);
            }
        } else {
            out.println("not saved: the " + provider.name() + " provider's capacity depends on a cluster skci does not know; "
                    + "use the figure above to judge --speed");
        }
        out.flush();
        return ExitCode.PASSED.code();
    }
}
