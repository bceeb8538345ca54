package dev.skci.run;

import dev.skci.replay.Applier;
import dev.skci.replay.ObjectTransformer;
import dev.skci.replay.Replayer;
import dev.skci.trace.TrackedKinds;
import java.util.Locale;

/** Replays the trace on its absolute schedule, then lets the cluster settle before it is judged. */
final class ReplayStep implements Step<Simulation> {
    @Override
    public String id() {
        return "replay";
    }

    @Override
    public String description() {
        return "the trace's events on an absolute monotonic schedule, then a short settle";
    }

    @Override
    public void run(Simulation s, Teardowns teardowns) throws InterruptedException {
        s.options.console().printf(Locale.ROOT, "skci: all gates passed in %.1fs; replaying%n", s.gates.total().toMillis() / 1000.0);
        s.hooks.replayStarting(s.client, s.runName, s.server);
        Applier applier = new Applier(s.client, s.resources, s.deadline);
        new Replayer(s.trace, s.plan, new ObjectTransformer(s.identity, s.namespaces, TrackedKinds.normalize(s.trace.config())),
                applier, s.registry, s.clock, s.namespaces, s.stats, s.lateness, s.desired, s.overrides).run();
        Thread.sleep(s.options.settle().toMillis());
    }
}
