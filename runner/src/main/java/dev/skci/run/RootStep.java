package dev.skci.run;

import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's SimulationRoot, which owns everything else the run creates, so one foreground deletion
 * removes it all. Leftovers of runs that died without cleaning up are removed first. Its teardown is
 * the run's cleanup ({@link Cleanup}): bounded, verified, and the result goes into the report.
 */
final class RootStep implements Step<Simulation> {
    private static final Logger log = LoggerFactory.getLogger(RootStep.class);

    @Override
    public String id() {
        return "root";
    }

    @Override
    public String description() {
        return "SimulationRoot (removes stale runs first); its teardown is the run's cleanup";
    }

    @Override
    public void run(Simulation s, Teardowns teardowns) {
        SimulationRoots.ensureCrd(s.client, s.options.setupTimeout());
        StaleRuns.reap(s.cluster, s.options.cleanupTimeout(), s.options.console());
        s.identity = SimulationRoots.create(s.client, s.runName);
        teardowns.push("cleanup", () -> s.cleanup = SetupStep.verified(Cleanup.run(s.cluster, s.runName, s.options.cleanupTimeout(), s.options.console()), s));
        ScheduledExecutorService heartbeat = StaleRuns.heartbeat(s.client, s.runName);
        teardowns.push("heartbeat", heartbeat::shutdownNow);
        log.info("run {}: replaying {} ({} events, {} s of trace at speed {})", s.runName, s.trace.name(), s.plan.events(),
                s.plan.spanSeconds(), s.options.speed());
    }
}
