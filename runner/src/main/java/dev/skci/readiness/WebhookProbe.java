package dev.skci.readiness;

import dev.skci.cluster.SimNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;

/**
 * The end-to-end proof that admission works: a server-side dry-run CREATE of a canary pod in a virtual
 * namespace must come back mutated (nodeSelector type=virtual). Nothing is stored. The API server picks
 * up a new webhook configuration after a short delay, so the {@code probe} gate repeats it until it passes.
 */
public final class WebhookProbe {
    public static final String CANARY = "skci-readiness-canary";

    private WebhookProbe() {}

    /** One attempt: null when the canary came back mutated, otherwise what was wrong. */
    public static String probe(KubernetesClient client, String namespace) {
        Pod canary = new PodBuilder()
                .withNewMetadata().withName(CANARY).withNamespace(namespace).endMetadata()
                .withNewSpec().addNewContainer().withName("canary").withImage("registry.k8s.io/pause:3.9").endContainer().endSpec()
                .build();
        try {
            Pod back = client.pods().inNamespace(namespace).resource(canary).dryRun().create();
            Map<String, String> sel = back.getSpec().getNodeSelector();
            if (sel != null && SimNames.NODE_TYPE_VIRTUAL.equals(sel.get(SimNames.LABEL_NODE_TYPE))) {
                return null;
            }
            return "a dry-run pod in " + namespace + " was admitted WITHOUT the type=virtual nodeSelector";
        } catch (KubernetesClientException e) {
            return "a dry-run pod in " + namespace + " was refused: " + e.getMessage();
        }
    }
}
