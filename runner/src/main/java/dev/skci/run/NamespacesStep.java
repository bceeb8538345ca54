package dev.skci.run;

import dev.skci.SkciException;
import dev.skci.cluster.SimNames;
import dev.skci.wait.Wait;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.Map;

/**
 * The run's namespaces, owned by its root: one for the certificate objects (named after the run), and
 * one virtual namespace per trace namespace. A namespace that already exists is a leftover; the run
 * refuses to share it.
 */
final class NamespacesStep implements Step<Simulation> {
    @Override
    public String id() {
        return "namespaces";
    }

    @Override
    public String description() {
        return "the run's namespace and its virtual namespaces, each with its default ServiceAccount";
    }

    @Override
    public void run(Simulation s, Teardowns teardowns) {
        create(s, s.runName, false);
        for (String ns : s.virtualNamespaces) {
            create(s, ns, true);
        }
        // The ServiceAccount admission plugin refuses pods until a namespace's default SA exists.
        for (String ns : s.virtualNamespaces) {
            Wait.watch("the default ServiceAccount of " + ns, s.options.setupTimeout())
                    .onTimeout(t -> SkciException.environment("namespace " + ns + " got no default ServiceAccount within "
                            + s.options.setupTimeout().toSeconds() + " s; is kube-controller-manager running?"))
                    .until(s.client.serviceAccounts().inNamespace(ns).withName("default"), list -> !list.isEmpty());
        }
    }

    private static void create(Simulation s, String name, boolean virtual) {
        Namespace existing = s.client.namespaces().withName(name).get();
        if (existing != null) {
            String owner = existing.getMetadata().getLabels() == null ? null
                    : existing.getMetadata().getLabels().get(SimNames.LABEL_SIMULATION);
            throw SkciException.environment("namespace " + name + " already exists"
                    + (owner != null ? " (left by run " + owner + ")" : "")
                    + "; delete it, or give this run another --namespace-prefix");
        }
        Map<String, String> labels = virtual
                ? Map.of(SimNames.LABEL_VIRTUAL, "true", SimNames.LABEL_SIMULATION, s.runName)
                : Map.of(SimNames.LABEL_SIMULATION, s.runName);
        s.client.namespaces().resource(new NamespaceBuilder()
                .withNewMetadata().withName(name).withLabels(labels).withOwnerReferences(s.rootRef()).endMetadata()
                .build()).create();
    }
}
