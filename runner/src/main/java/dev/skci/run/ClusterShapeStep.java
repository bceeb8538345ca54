package dev.skci.run;

import dev.skci.cluster.Bootstrap;

/**
 * Gives the cluster what this simulation asks of it, before its gates: the virtual nodes of its node pools (or the
 * cluster's default pools), and the scheduler's configuration (or the defaults). So simulations in one run, and runs
 * on a kept cluster, never see another's nodes or scheduler. Nothing to undo: the next simulation sets its own.
 */
final class ClusterShapeStep implements Step<Simulation> {
    @Override
    public String id() {
        return "cluster-shape";
    }

    @Override
    public String description() {
        return "the simulation's node pools (nodes added, removed, relabelled; bounded concurrency) and scheduler configuration "
                + "(the scheduler alone restarted when it changes)";
    }

    @Override
    public void run(Simulation s, Teardowns teardowns) {
        Bootstrap.Reconciled r = new Bootstrap(s.client).reconcile(s.options.cluster().pools());
        s.nodes = r;
        // Said whenever the simulation names its pools, not only when this step changed nodes: on a cluster booted or
        // adopted for this run, Clusters.up has usually made them already, and the user still wants the shape confirmed.
        if (s.options.cluster().pools().isPresent() || !r.created().isEmpty() || !r.changed().isEmpty() || !r.removed().isEmpty()) {
            s.options.console().println("skci: node pools: " + r.summary());
        }
        if (s.cluster.configureScheduler(s.options.cluster().scheduler())) {
            s.options.console().println("skci: kube-scheduler restarted with "
                    + s.options.cluster().scheduler().map(Object::toString).orElse("its default configuration"));
        }
    }
}
