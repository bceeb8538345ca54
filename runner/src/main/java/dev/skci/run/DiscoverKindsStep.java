package dev.skci.run;

import dev.skci.replay.ApiResources;
import dev.skci.replay.CronJobs;
import dev.skci.trace.Gvk;
import java.util.LinkedHashSet;
import java.util.Set;

/** Finds the REST resource of every kind the replay touches; a kind the cluster does not serve is exit 2, before any change. */
final class DiscoverKindsStep implements Step<Simulation> {
    @Override
    public String id() {
        return "discover-kinds";
    }

    @Override
    public String description() {
        return "API discovery of every traced kind (a missing CRD is reported up front, with the full list)";
    }

    @Override
    public void run(Simulation s, Teardowns teardowns) {
        Set<Gvk> kinds = new LinkedHashSet<>(s.plan.kinds());
        if (kinds.contains(CronJobs.CRONJOB)) {
            kinds.add(CronJobs.JOB); // time-warped CronJobs: skci creates their Jobs itself
        }
        kinds.removeAll(SetupStep.deferredKinds(s)); // served only once the setup step installed their CRDs
        s.resources = ApiResources.discover(s.client, kinds);
    }
}
