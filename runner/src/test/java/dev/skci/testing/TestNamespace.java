package dev.skci.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The namespace(s) of one test. The first one is created before the test; {@link #another} creates more.
 * All of them are deleted after the test (without waiting: the namespace controller finishes the job).
 */
public final class TestNamespace {
    private final KubernetesClient client;
    private final String base;
    private final List<String> names = new ArrayList<>();

    TestNamespace(KubernetesClient client, String testName) {
        this.client = client;
        String slug = testName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
        this.base = "t-" + (slug.length() > 40 ? slug.substring(0, 40).replaceAll("-+$", "") : slug) + "-" + suffix;
        create(base);
    }

    /** The test's main namespace. */
    public String name() {
        return base;
    }

    /** Creates one more namespace {@code <name>-<suffix>} for this test and returns its name. */
    public String another(String suffix) {
        return create(base + "-" + suffix);
    }

    public List<String> all() {
        return List.copyOf(names);
    }

    private String create(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .addToLabels("skci.dev/test", "true").endMetadata().build()).create();
        names.add(name);
        return name;
    }

    void deleteAll() {
        for (String n : names) {
            client.namespaces().withName(n).delete();
        }
    }
}
