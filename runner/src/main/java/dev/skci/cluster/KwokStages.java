package dev.skci.cluster;

import dev.skci.SkciException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * skci's KWOK Stage objects (kwok.x-k8s.io/v1alpha1), shipped as YAML under
 * {@code dev/skci/kwok/} and documented in docs/kwok-stages.md. Every name starts with {@code skci-},
 * so none can collide with KWOK's built-in stages (docs/kwok-stages.md, "How KWOK runs").
 */
public final class KwokStages {
    public static final String STAGE_CRD = "stages.kwok.x-k8s.io";
    public static final String NAME_PREFIX = "skci-";
    private static final String KWOK_DIR = "/dev/skci/kwok/";
    public static final List<String> RESOURCES = List.of(KWOK_DIR + "node-stages.yaml", KWOK_DIR + "pod-stages.yaml");
    private static final Pattern INCLUDE = Pattern.compile("( *)@include ([a-z-]+)");

    public static final ResourceDefinitionContext STAGE = new ResourceDefinitionContext.Builder()
            .withGroup("kwok.x-k8s.io")
            .withVersion("v1alpha1")
            .withKind("Stage")
            .withPlural("stages")
            .withNamespaced(false)
            .build();

    static {
        // KWOK serves Stage only as v1alpha1, and fabric8 logs a WARN for every alpha resource type it
        // touches, which would land on every `skci cluster up`. slf4j-simple reads a logger's level when
        // the logger is created, so this must run before fabric8's VersionUsageUtils is first used.
        String key = "org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils";
        if (System.getProperty(key) == null) {
            System.setProperty(key, "error");
        }
    }

    private KwokStages() {}

    /** The stages as shipped, parsed (no cluster needed). */
    public static List<GenericKubernetesResource> load() {
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<GenericKubernetesResource> stages = new ArrayList<>();
        for (String resource : RESOURCES) {
            Object parsed = serialization.unmarshal(rendered(resource));
            for (Object item : parsed instanceof List<?> l ? l : List.of(parsed)) {
                stages.add((GenericKubernetesResource) item);
            }
        }
        return stages;
    }

    /**
     * One resource's YAML with its {@code @include NAME} lines replaced by {@code dev/skci/kwok/NAME.tmpl} (its
     * leading comment lines dropped), indented as the line was. KWOK stages are separate documents, so a YAML anchor
     * cannot share a status template between them; the stages that end in the same pod status include one file.
     */
    public static String rendered(String resource) {
        StringBuilder out = new StringBuilder();
        for (String line : text(resource).split("\n", -1)) {
            Matcher m = INCLUDE.matcher(line);
            if (!m.matches()) {
                out.append(line).append('\n');
                continue;
            }
            boolean header = true;
            for (String included : text(KWOK_DIR + m.group(2) + ".tmpl").split("\n")) {
                header &= included.startsWith("#");
                if (!header) {
                    out.append(m.group(1)).append(included).append('\n');
                }
            }
        }
        return out.substring(0, out.length() - 1);
    }

    private static String text(String resource) {
        try (InputStream in = KwokStages.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the runner jar; rebuild it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Same as {@link #load()}; the client is not needed (kept for callers written against it). */
    public static List<GenericKubernetesResource> load(KubernetesClient client) {
        return load();
    }

    /** Server-side applies every stage (idempotent); returns their names. */
    public static List<String> apply(KubernetesClient client) {
        if (client.apiextensions().v1().customResourceDefinitions().withName(STAGE_CRD).get() == null) {
            throw SkciException.environment("the cluster has no " + STAGE_CRD
                    + " CRD: KWOK must run with --enable-crds=Stage so skci can install its pod and node stages");
        }
        List<String> names = new ArrayList<>();
        for (GenericKubernetesResource stage : load()) {
            client.genericKubernetesResources(STAGE).resource(stage).fieldManager("skci").forceConflicts().serverSideApply();
            names.add(stage.getMetadata().getName());
        }
        return names;
    }

    /** Pod or Node stages on the cluster that are not skci's: KWOK picks at random among matching stages. */
    public static List<String> foreign(KubernetesClient client) {
        List<String> foreign = new ArrayList<>();
        for (GenericKubernetesResource s : client.genericKubernetesResources(STAGE).list().getItems()) {
            Object ref = s.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec ? spec.get("resourceRef") : null;
            Object kind = ref instanceof Map<?, ?> r ? r.get("kind") : null;
            boolean podOrNode = "Pod".equals(kind) || "Node".equals(kind);
            if (podOrNode && !s.getMetadata().getName().startsWith(NAME_PREFIX)) {
                foreign.add(s.getMetadata().getName());
            }
        }
        return foreign;
    }
}
