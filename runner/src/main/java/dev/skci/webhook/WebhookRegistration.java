package dev.skci.webhook;

import dev.skci.cluster.SimNames;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run's MutatingWebhookConfiguration: pods only, CREATE only (postmortem remediation 3: never
 * UPDATE), failurePolicy Fail (remediation 2), sideEffects None (so server-side dry-runs reach it: the
 * readiness probe depends on that), an explicit timeout, and scoped with a CEL match condition to
 * namespaces that carry the run's virtual prefix. Matching on the name rather than a label means a
 * namespace that merely looks virtual cannot escape mutation.
 */
public final class WebhookRegistration {
    public static final int TIMEOUT_SECONDS = 5;
    public static final String INJECT_CA_FROM = "cert-manager.io/inject-ca-from";

    private WebhookRegistration() {}

    /** The configuration is named after the run ({@code skci-4f9a1c}), which already says whose it is. */
    public static String name(String runName) {
        return runName;
    }

    /**
     * @param caPem the CA to trust, or null when cert-manager's cainjector fills it ({@code injectCaFrom})
     * @param injectCaFrom {@code <namespace>/<certificate>} for cert-manager, if it provides the certificate
     */
    public static MutatingWebhookConfiguration build(String runName, String url, String caPem, String namespacePrefix,
            OwnerReference root, Optional<String> injectCaFrom) {
        Map<String, String> annotations = new LinkedHashMap<>();
        injectCaFrom.ifPresent(c -> annotations.put(INJECT_CA_FROM, c));
        return new MutatingWebhookConfigurationBuilder()
                .withNewMetadata()
                    .withName(name(runName))
                    .withLabels(Map.of(SimNames.LABEL_SIMULATION, runName))
                    .withAnnotations(annotations)
                    .withOwnerReferences(root)
                .endMetadata()
                .addNewWebhook()
                    .withName(SimNames.WEBHOOK_NAME)
                    .withAdmissionReviewVersions("v1")
                    .withNewClientConfig()
                        .withUrl(url)
                        .withCaBundle(caPem == null ? null
                                : Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8)))
                    .endClientConfig()
                    .addNewRule()
                        .withApiGroups("")
                        .withApiVersions("v1")
                        .withOperations("CREATE")
                        .withResources("pods")
                        .withScope("Namespaced")
                    .endRule()
                    .addNewMatchCondition()
                        .withName("virtual-namespaces-only")
                        .withExpression("request.namespace.startsWith('" + namespacePrefix + "-')")
                    .endMatchCondition()
                    .withFailurePolicy("Fail")
                    .withSideEffects("None")
                    .withTimeoutSeconds(TIMEOUT_SECONDS)
                    .withMatchPolicy("Equivalent")
                    .withReinvocationPolicy("Never")
                .endWebhook()
                .build();
    }

    /** Operations the configuration intercepts; tests assert this is exactly CREATE. */
    public static List<String> operations(MutatingWebhookConfiguration c) {
        return c.getWebhooks().stream().flatMap(w -> w.getRules().stream()).flatMap(r -> r.getOperations().stream()).toList();
    }
}
