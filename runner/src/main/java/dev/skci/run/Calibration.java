package dev.skci.run;

import dev.skci.cluster.Cluster;
import dev.skci.observe.PodRecord;
import dev.skci.preflight.Capacity;
import dev.skci.replay.ReplayPlan;
import dev.skci.result.SimulationResult;
import dev.skci.trace.ScalingTrace;
import dev.skci.trace.codec.TraceFile;
import dev.skci.wait.Deadline;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Measures a cluster's capacity ({@code skci cluster calibrate}) the way a replay uses it: a real simulation
 * of a {@link ScalingTrace} through every step of {@code skci run} (gates, webhook, observer, cleanup), whose
 * Deployments go from 0 to {@code pods} at once, hold, and back to 0. From the observer's records: pods
 * created per second and pods Running per second while the scale-up's backlog lasts, and pods deleted per
 * second during the scale-down. Each rate is taken between the 10th and 90th percentile of its moments, so
 * the ramp's first and last pods (the controllers starting, the stragglers) do not count.
 */
public final class Calibration {
    /** Pods of the default calibration: a burst well above what any rate limit would let through in a second. */
    public static final int DEFAULT_PODS = 2_000;
    private static final int DEPLOYMENTS = 40;

    /** A measured capacity, with the run it came from. */
    public record Result(Capacity capacity, String detail, SimulationResult run) {}

    private Calibration() {}

    /**
     * The trace the calibration replays for {@code pods} pods (rounded up to a multiple of the Deployments): the burst
     * held long enough that a cluster of a few hundred pods a second finishes it before the scale-down (10 to 30 s).
     */
    public static ScalingTrace trace(int pods) {
        int per = Math.max(1, (pods + DEPLOYMENTS - 1) / DEPLOYMENTS);
        long step = Math.max(10, Math.min(30, pods / 70));
        return new ScalingTrace(DEPLOYMENTS, 4, 0, per, step, "10m");
    }

    public static Result measure(Cluster cluster, int pods, Path workDir, PrintStream console) throws InterruptedException {
        ScalingTrace shape = trace(pods);
        Path file;
        try {
            Files.createDirectories(workDir);
            file = shape.write(workDir.resolve(shape.fileName()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the calibration trace into " + workDir, e);
        }
        TraceFile trace = TraceFile.open(file);
        SimulationRun.Options options = SimulationRun.Options.defaults().withSpeed(1).withNamespacePrefix("calibrate")
                .withConsole(console).withReportDir(workDir);
        SimulationResult r = new SimulationRun(cluster, options, SimulationRun.Hooks.NONE)
                .run(trace, ReplayPlan.scan(trace, Optional.empty()), Deadline.after(Duration.ofMinutes(10)));
        List<PodRecord> records = r.pods().records();
        double creates = rate(records, PodRecord::created);
        double running = rate(records, PodRecord::running);
        double deletes = rate(records, PodRecord::deleted);
        String detail = String.format(Locale.ROOT, "%d Deployments 0 → %d → 0 replicas (%d pods), %d created, %d Running, %d deleted; "
                        + "%s", shape.deployments(), shape.peak(), shape.peakPods(), records.size(),
                records.stream().filter(p -> p.running() != null).count(), records.stream().filter(p -> p.deleted() != null).count(),
                r.verdict().outcome());
        if (!(creates > 0 && running > 0 && deletes > 0)) {
            throw dev.skci.SkciException.environment("the calibration run measured nothing usable (" + detail + "); see "
                    + r.harness().diagnostics().map(Path::toString).orElse("the run's output above"));
        }
        Capacity c = new Capacity(creates, running, deletes, "measured on this machine by 'skci cluster calibrate'",
                Optional.of(Instant.now()));
        return new Result(c, detail, r);
    }

    /** Events per second between the 10th and 90th percentile of the moments {@code at} picks (null: never). */
    static double rate(List<PodRecord> pods, Function<PodRecord, Instant> at) {
        List<Instant> times = pods.stream().map(at).filter(Objects::nonNull).sorted().toList();
        if (times.size() < 10) {
            return 0;
        }
        int lo = times.size() / 10;
        int hi = times.size() * 9 / 10;
        double seconds = Duration.between(times.get(lo), times.get(hi)).toNanos() / 1e9;
        return seconds <= 0 ? 0 : (hi - lo) / seconds;
    }
}
