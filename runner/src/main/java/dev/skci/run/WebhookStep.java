package dev.skci.run;

import dev.skci.SkciException;
import dev.skci.sim.LifecycleResolver;
import dev.skci.webhook.AdmissionServer;
import dev.skci.webhook.ClusterOwnerLookup;
import dev.skci.webhook.PodMutator;
import dev.skci.webhook.WebhookRegistration;
import java.io.IOException;
import java.util.Set;

/**
 * Serves the admission webhook over TLS with the issued certificate, follows reissues, and registers it
 * (pods, CREATE only, failurePolicy Fail). Teardown deletes the registration first, while the server
 * still answers, so no pod is ever refused by a dead webhook; then the server stops.
 */
final class WebhookStep implements Step<Simulation> {
    @Override
    public String id() {
        return "webhook";
    }

    @Override
    public String description() {
        return "the admission webhook: HTTPS server, then its MutatingWebhookConfiguration (CREATE only, fail closed)";
    }

    @Override
    public void run(Simulation s, Teardowns teardowns) {
        s.owners = new ClusterOwnerLookup(s.client, s.virtualNamespaces);
        teardowns.push("owner-informers", s.owners::close);
        s.mutator = new PodMutator(new PodMutator.Context(s.runName, s.namespaces, Set.copyOf(s.virtualNamespaces), s.plan.startTs()),
                s.registry, s.owners, new LifecycleResolver(s.trace.lifecycles(), s.plan.startTs(), s.options.speed()));
        try {
            s.server = AdmissionServer.start(s.cluster.webhookHost(), 0, s.certificate.material(), s.mutator);
        } catch (IOException e) {
            throw SkciException.environment("cannot start the webhook server on " + s.cluster.webhookHost() + ": " + e.getMessage(), e);
        }
        teardowns.push("webhook-server", s.server::close);
        s.certificate.follow(s.server::reload);
        var configs = s.client.admissionRegistration().v1().mutatingWebhookConfigurations();
        configs.resource(WebhookRegistration.build(s.runName, s.server.url(), s.certificate.registeredCaBundle(),
                s.options.namespacePrefix(), s.rootRef(), s.certificate.injectCaFrom())).create();
        teardowns.push("webhook-configuration", () -> configs.withName(WebhookRegistration.name(s.runName)).delete());
        s.hooks.webhookRegistered(s.client, s.runName, s.server);
    }
}
