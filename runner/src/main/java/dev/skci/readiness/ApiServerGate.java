package dev.skci.readiness;

/** The API server answers {@code /readyz} with "ok". */
final class ApiServerGate implements Gate {
    @Override
    public String id() {
        return "api-server";
    }

    @Override
    public String description() {
        return "the API server answers /readyz";
    }

    @Override
    public Phase phase() {
        return Phase.CLUSTER;
    }

    @Override
    public String check(GateContext c) throws Exception {
        String body = c.client().raw(c.client().getMasterUrl().toURI().resolve("/readyz").toString());
        return body != null && body.trim().equals("ok") ? null : "/readyz answered " + (body == null ? "nothing" : body.trim());
    }

    @Override
    public String hint(GateContext c) {
        return c.cluster().logHint("control-plane") + " (kube-apiserver)";
    }
}
