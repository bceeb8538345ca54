package dev.skci.result;

import dev.skci.observe.PodRecord;
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
 */
public record SimulationResult(String trace, String runName, Verdict verdict, Replay replay, Admission admission, Pods pods,
        Harness harness) {

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
}
