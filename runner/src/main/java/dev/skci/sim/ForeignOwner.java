package dev.skci.sim;

import dev.skci.trace.Gvk;

/**
 * An owner reference a traced object had in production. The replayer drops it from the applied object
 * (the run's root owns everything), and remembers it so the webhook can find the pod's lifecycle under
 * the production owner it was recorded for.
 */
public record ForeignOwner(Gvk gvk, String name) {}
