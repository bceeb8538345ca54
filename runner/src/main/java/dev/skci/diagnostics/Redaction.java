package dev.skci.diagnostics;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Traces come from production: what skci writes about simulated objects keeps their names and drops
 * their values. Environment variable values and annotation values (other than skci's and SimKube's own,
 * which say how the pod was simulated) become {@value #REDACTED}. ConfigMaps and Secrets are never
 * collected at all.
 */
final class Redaction {
    static final String REDACTED = "<redacted>";
    private static final List<String> OWN_PREFIXES = List.of("skci.dev/", "stage.skci.dev/", "static.simkube.io/", "simkube.io/",
            "kwok.x-k8s.io/");

    private Redaction() {}

    static Pod pod(Pod original) {
        Pod p = new PodBuilder(original).build();
        Map<String, String> a = p.getMetadata().getAnnotations();
        if (a != null) {
            Map<String, String> kept = new LinkedHashMap<>();
            a.forEach((k, v) -> kept.put(k, OWN_PREFIXES.stream().anyMatch(k::startsWith) ? v : REDACTED));
            p.getMetadata().setAnnotations(kept);
        }
        if (p.getSpec() != null) {
            redact(p.getSpec().getContainers());
            redact(p.getSpec().getInitContainers());
        }
        return p;
    }

    private static void redact(List<Container> containers) {
        for (Container c : containers == null ? List.<Container>of() : containers) {
            for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                if (e.getValue() != null) {
                    e.setValue(REDACTED);
                }
            }
            if (c.getArgs() != null && !c.getArgs().isEmpty()) {
                c.setArgs(List.of(REDACTED)); // arguments carry secrets as often as env does
            }
            if (c.getCommand() != null && c.getCommand().size() > 1) {
                c.setCommand(List.of(c.getCommand().getFirst(), REDACTED));
            }
        }
    }
}
