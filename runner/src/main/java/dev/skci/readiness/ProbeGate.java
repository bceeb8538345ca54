package dev.skci.readiness;

/** The proof that matters: a server-side dry-run pod in a virtual namespace comes back mutated. */
final class ProbeGate implements Gate {
    @Override
    public String id() {
        return "probe";
    }

    @Override
    public String description() {
        return "a dry-run pod in a virtual namespace comes back mutated (nodeSelector type=virtual)";
    }

    @Override
    public Phase phase() {
        return Phase.PROBE;
    }

    @Override
    public String check(GateContext c) {
        return WebhookProbe.probe(c.client(), c.probeNamespace());
    }

    @Override
    public String hint(GateContext c) {
        return "the API server log and 'skci run --debug'";
    }
}
