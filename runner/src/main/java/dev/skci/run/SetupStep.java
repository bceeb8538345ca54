package dev.skci.run;

import dev.skci.replay.ApiResources;
import dev.skci.replay.CronJobs;
import dev.skci.result.CleanupReport;
import dev.skci.setup.SetupApplier;
import dev.skci.trace.Gvk;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The setup manifests (docs/config.md, "Setup manifests"), after every gate and before the first event:
 * a server-side dry run of each object first, so a rejection stops the run before anything is replayed
 * (exit 2, with the API server's message), then the objects, owned by the root. They need no teardown of
 * their own: cleanup's foreground deletion of the root takes them, and {@link #verified} checks that the
 * cluster-scoped ones are gone.
 */
final class SetupStep implements Step<Simulation> {
    @Override
    public String id() {
        return "setup";
    }

    @Override
    public String description() {
        return "setup manifests: a server-side dry run of each (a rejection is exit 2 before replay), CRDs until Established, "
                + "then every object";
    }

    @Override
    public void run(Simulation s, Teardowns teardowns) {
        var setup = s.options.changes().setup();
        if (setup.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        List<SetupApplier.Applied> applied = new SetupApplier(s.client, s.namespaces, s.identity, s.options.setupTimeout())
                .apply(setup, s.setup::add);
        Set<Gvk> deferred = deferredKinds(s);
        if (!deferred.isEmpty()) {
            // Traced kinds that a setup CRD defines could not be discovered before it was installed.
            Set<Gvk> kinds = new LinkedHashSet<>(s.plan.kinds());
            if (kinds.contains(CronJobs.CRONJOB)) {
                kinds.add(CronJobs.JOB);
            }
            s.resources = ApiResources.discover(s.client, kinds);
        }
        Map<String, Integer> byKind = SetupApplier.byKind(applied);
        s.options.console().printf(Locale.ROOT, "skci: setup: %d object(s) applied in %.1fs (%s)%n", applied.size(),
                (System.nanoTime() - t0) / 1e9, byKind.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", ")));
    }

    /** The traced kinds that only the setup's CRDs define: {@link DiscoverKindsStep} leaves them to this step. */
    static Set<Gvk> deferredKinds(Simulation s) {
        Set<Gvk> out = new LinkedHashSet<>(s.plan.kinds());
        out.retainAll(s.options.changes().setup().definedKinds());
        return out;
    }

    /** Cleanup's report, with the cluster-scoped setup objects that are still there added to what is left. */
    static CleanupReport verified(CleanupReport cleanup, Simulation s) {
        List<String> left = SetupApplier.leftovers(s.client, s.setup);
        if (left.isEmpty()) {
            return cleanup;
        }
        List<String> all = new ArrayList<>(cleanup.leftovers());
        all.addAll(left);
        return new CleanupReport(false, cleanup.took(), all);
    }
}
