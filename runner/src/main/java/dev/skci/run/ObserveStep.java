package dev.skci.run;

import dev.skci.observe.Observer;
import dev.skci.replay.CompletionPinner;

/**
 * Starts the run's watches before anything is replayed: the webhook's owner caches, and the observer of
 * pods and nodes that checks invariants as events arrive (and pins recorded completions).
 */
final class ObserveStep implements Step<Simulation> {
    @Override
    public String id() {
        return "observe";
    }

    @Override
    public String description() {
        return "watches: the webhook's owner caches, and the observer of pods, nodes and events";
    }

    @Override
    public void run(Simulation s, Teardowns teardowns) throws InterruptedException {
        s.owners.start(s.options.setupTimeout());
        s.observer = new Observer(s.client, s.runName, s.hooks.observePods() ? s.virtualNamespaces : java.util.List.of());
        teardowns.push("observer", s.observer::close);
        s.observer.onPodChange(new CompletionPinner(s.client));
        s.observer.start(s.options.setupTimeout());
    }
}
