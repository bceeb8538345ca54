package dev.skci.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.SkciException;
import dev.skci.override.Patch;
import dev.skci.setup.Setup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** setup: and overrides: in skci.yaml: bound with every file read, and every problem one line with its file and line. */
class SetupOverridesConfigTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private String refused(String config) throws Exception {
        Path p = file("skci.yaml", config);
        SkciException e = assertThrows(SkciException.class, () -> ConfigFile.load(p));
        assertEquals(SkciException.Kind.INVALID_INPUT, e.kind());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private static final String HEAD = "apiVersion: skci.dev/v1alpha1\nkind: Config\n";

    @Test
    void setupFilesAndDirectoriesAndOverridesBindInOrderAndEntriesExtendTheGlobalOnes() throws Exception {
        file("setup/b-quota.yaml", """
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: q, namespace: shop}
                spec: {hard: {pods: "10"}}
                """);
        file("setup/a-priority.yaml", """
                # two documents, and an empty one
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: critical}
                value: 1000000
                ---
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: flags}
                """);
        file("setup/notes.txt", "not a manifest");
        file("extra.json", "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{\"apiVersion\": \"v1\", \"kind\": \"Namespace\","
                + " \"metadata\": {\"name\": \"tools\", \"labels\": {\"team\": \"a\"}}}]}");
        file("overrides/cpu.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec: {template: {spec: {containers: [{name: app, resources: {requests: {cpu: "2"}}}]}}}
                """);
        SkciConfig c = ConfigFile.load(file("skci.yaml", HEAD + """
                setup: [setup]
                overrides:
                  - path: overrides/cpu.yaml
                  - target: {kind: CronJob, name: hello}
                    patch:
                      - {op: replace, path: /spec/schedule, value: "*/5 * * * *"}
                simulations:
                  - trace: t.sktrace
                    setup: [extra.json]
                    overrides:
                      - target: {kind: Deployment, labelSelector: "app in (web)"}
                        patch: |
                          spec: {replicas: 1}
                """));
        List<String> setup = c.global().setup().stream().map(o -> o.describe() + " @" + o.where()).toList();
        assertEquals(List.of("PriorityClass critical @setup/a-priority.yaml:2", "ConfigMap flags @setup/a-priority.yaml:8",
                "ResourceQuota shop/q @setup/b-quota.yaml:1"), setup.stream().map(s -> s.replace(dir + "/", "")).toList());
        SkciConfig.Settings entry = c.global().then(c.simulations().getFirst().settings());
        assertEquals(4, entry.setup().size());
        Setup s = Setup.of(entry.setup());
        assertEquals(Set.of("default", "shop", "tools"), s.namespaces(), "default for the ConfigMap without a namespace");
        List<Patch> overrides = entry.overrides();
        assertEquals(3, overrides.size());
        assertEquals(Patch.Form.STRATEGIC_MERGE, overrides.get(0).form());
        assertEquals("group apps, version v1, kind Deployment, namespace shop, name web", overrides.get(0).target().toString());
        assertTrue(overrides.get(0).source().endsWith("overrides/cpu.yaml"), overrides.get(0).source());
        assertEquals(Patch.Form.JSON_6902, overrides.get(1).form());
        assertTrue(overrides.get(1).source().endsWith("skci.yaml:6"), overrides.get(1).source());
        assertEquals("kind Deployment, labels app in (web)", overrides.get(2).target().toString());
        assertEquals("{\"spec\":{\"replicas\":1}}", overrides.get(2).patch().toString());
        var resolved = Simulations.resolve(c, List.of(), Simulations.Flags.NONE).getFirst();
        assertEquals(4, resolved.setup().objects().size());
        assertEquals(3, resolved.overrides().size());
    }

    @Test
    void setupProblemsNameTheFileAndLine() throws Exception {
        assertTrue(refused(HEAD + "setup: [nope.yaml]\n").endsWith("skci.yaml: /setup/0 (line 3): no such file or directory: "
                + dir.resolve("nope.yaml")), "absolute when outside the working directory");
        file("bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}\n");
        String m = refused(HEAD + "setup: [bad.yaml]\n");
        assertTrue(m.contains("bad.yaml: /metadata (line 7): metadata.name is missing"), m);
        file("pc.yaml", "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: c, namespace: x}\nvalue: 1\n");
        m = refused(HEAD + "setup: [pc.yaml]\n");
        assertTrue(m.contains("pc.yaml: /metadata/namespace (line 3): PriorityClass is cluster-scoped"), m);
        file("broken.yaml", "apiVersion: v1\nkind: [\n");
        m = refused(HEAD + "setup: [broken.yaml]\n");
        assertTrue(m.contains("broken.yaml: line ") && m.contains("cannot parse"), m);
        Files.createDirectories(dir.resolve("empty"));
        assertTrue(refused(HEAD + "setup: [empty]\n").contains("holds no .yaml, .yml or .json file"));
        file("twice.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        Path p = file("skci.yaml", HEAD + "setup: [twice.yaml]\nsimulations:\n  - trace: t.sktrace\n    setup: [twice.yaml]\n");
        SkciConfig c = ConfigFile.load(p);
        var e = assertThrows(SkciException.class, () -> Simulations.resolve(c, List.of(), Simulations.Flags.NONE));
        assertTrue(e.getMessage().contains("ConfigMap a is already in the setup"), e.getMessage());
    }

    @Test
    void overrideProblemsNameTheFileAndLine() throws Exception {
        String m = refused(HEAD + "overrides:\n  - patch: {spec: {replicas: 1}}\n");
        assertTrue(m.contains("skci.yaml: /overrides/0/patch (line 4): a strategic-merge patch without a target names the object"), m);
        m = refused(HEAD + "overrides:\n  - patch: [{op: replace, path: /spec/schedule, value: x}]\n");
        assertTrue(m.contains("needs a target"), m);
        m = refused(HEAD + "overrides:\n  - target: {kind: CronJob}\n    patch: [{op: rename, path: /spec}]\n");
        assertTrue(m.contains("/overrides/0/patch/0/op") && m.contains("op must be one of"), m);
        m = refused(HEAD + "overrides:\n  - target: {kind: CronJob, labelSelector: 'a in b'}\n    patch: {spec: {suspend: true}}\n");
        assertTrue(m.contains("/overrides/0/target/labelSelector (line 4): label selector 'a in b'"), m);
        m = refused(HEAD + "overrides:\n  - target: {knid: CronJob}\n    patch: {spec: {suspend: true}}\n");
        assertTrue(m.contains("unknown key 'knid'"), m);
        m = refused(HEAD + "overrides:\n  - path: p.yaml\n    patch: {a: 1}\n");
        assertTrue(m.contains("give either path (a patch file) or patch (the patch itself), not both"), m);
        file("ops.yaml", "- op: replace\n  path: spec/schedule\n  value: x\n");
        m = refused(HEAD + "overrides:\n  - path: ops.yaml\n    target: {kind: CronJob}\n");
        assertTrue(m.contains("ops.yaml: /0/path (line 2): path must be a JSON pointer"), m);
        assertTrue(refused(HEAD + "overrides:\n  - path: missing.yaml\n").contains("/overrides/0/path (line 4): the patch file"));
    }
}
