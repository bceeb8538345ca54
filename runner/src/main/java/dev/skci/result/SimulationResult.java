package dev.skci.result;

import dev.skci.observe.Metrics;
import dev.skci.observe.PodRecord;
import dev.skci.override.Overrides;
import dev.skci.readiness.GateResult;
import dev.skci.replay.LatenessRecorder;
import dev.skci.replay.ReplayStats;
import dev.skci.verdict.Verdict;
import dev.skci.webhook.RequestLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one simulation produced, in named parts: written by the run ({@code run}), judged by
 * {@code verdict}, read by the reports ({@code report}). Data flows that way only.
 *
 * @param trace the trace file as given on the command line
 * @param runName the run's name on the cluster (its SimulationRoot, namespace and webhook configuration)
 * @param metrics what happened to the workload (docs/expectations.md)
 * @param baseline the metrics of the baseline it was judged against, if any
 */
public record SimulationResult(String trace, String runName, Verdict verdict, Metrics metrics, Replay replay, Admission admission,
        Pods pods, Harness harness, Attempt attempt, Optional<Metrics> baseline, Changes changes) {

    public SimulationResult(String trace, String runName, Verdict verdict, Metrics metrics, Replay replay, Admission admission,
            Pods pods, Harness harness, Attempt attempt, Optional<Metrics> baseline) {
        this(trace, runName, verdict, metrics, replay, admission, pods, harness, attempt, baseline, Changes.NONE);
    }

    /**
     * What the pull request added to the simulation besides the trace (docs/config.md).
     *
     * @param setup the setup objects the run created ({@code PriorityClass critical (setup/pc.yaml:3)}), in order
     * @param overrides each override and the traced objects it patched, with how many of their versions
     */
    public record Changes(List<String> setup, List<Overrides.Use> overrides) {
        public static final Changes NONE = new Changes(List.of(), List.of());

        public Changes {
            setup = List.copyOf(setup);
            overrides = List.copyOf(overrides);
        }
    }

    /** With what the setup created and the overrides patched. */
    public SimulationResult withChanges(Changes c) {
        return new SimulationResult(trace, runName, verdict, metrics, replay, admission, pods, harness, attempt, baseline, c);
    }

    /** Which run of a trace this was: the repeat ({@code --repeat}), and whether it was the baseline of a paired run. */
    public record Attempt(int repeat, int of, Role role) {
        public static final Attempt SINGLE = new Attempt(1, 1, Role.CANDIDATE);
    }

    /** The run judged for the change, or the baseline run it is compared with ({@code --baseline-config}). */
    public enum Role { CANDIDATE, BASELINE }

    public SimulationResult(String trace, String runName, Verdict verdict, Metrics metrics, Replay replay, Admission admission,
            Pods pods, Harness harness) {
        this(trace, runName, verdict, metrics, replay, admission, pods, harness, Attempt.SINGLE, Optional.empty());
    }

    public SimulationResult withAttempt(Attempt a) {
        return new SimulationResult(trace, runName, verdict, metrics, replay, admission, pods, harness, a, baseline, changes);
    }

    /** The baseline's metrics this run was judged against ({@code baseline.*}), if any. */
    public SimulationResult withBaseline(Optional<Metrics> b) {
        return new SimulationResult(trace, runName, verdict, metrics, replay, admission, pods, harness, attempt, b, changes);
    }

    /** What the replayer did, and how late its events were. */
    public record Replay(ReplayStats stats, LatenessRecorder lateness) {}

    /**
     * What the webhook decided for real (not dry-run) pods.
     *
     * @param completing pods that got a recorded end (they complete on their own)
     * @param runningUntilDeleted pods whose recorded lifecycle never ends
     */
    public record Admission(long mutated, long completing, long runningUntilDeleted, long denied, List<RequestLog.Entry> requests) {
        public Admission {
            requests = List.copyOf(requests);
        }

        /** Mutated pods for which the trace recorded no lifecycle. */
        public long withoutRecord() {
            return mutated - completing - runningUntilDeleted;
        }
    }

    /** Every simulated pod as the observer saw it, and how many ended in each phase. */
    public record Pods(List<PodRecord> records, Map<String, Integer> byPhase) {
        public Pods {
            records = List.copyOf(records);
            byPhase = Map.copyOf(byPhase);
        }

        public int total() {
            return byPhase.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** The run around the replay: its gates, its cleanup, its wall time and, when it failed, its diagnostics. */
    public record Harness(List<GateResult> gates, CleanupReport cleanup, Duration wall, Optional<Path> diagnostics) {
        public Harness {
            gates = List.copyOf(gates);
        }
    }

    public boolean passed() {
        return verdict.passed();
    }

    public Verdict.Outcome outcome() {
        return verdict.outcome();
    }
}
