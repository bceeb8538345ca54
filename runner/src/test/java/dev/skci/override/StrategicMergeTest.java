package dev.skci.override;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.skci.trace.Gvk;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Strategic merge as kubectl and kustomize do it, for the lists a pull request touches in built-in kinds. */
class StrategicMergeTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Gvk DEPLOYMENT = new Gvk("apps", "v1", "Deployment");

    static ObjectNode yaml(String s) {
        try {
            return (ObjectNode) YAML.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final ObjectNode WEB = yaml("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, labels: {app: web}, finalizers: [a]}
            spec:
              replicas: 3
              template:
                metadata: {labels: {app: web}}
                spec:
                  tolerations: [{key: a, operator: Exists}]
                  volumes: [{name: cache, emptyDir: {}}, {name: conf, configMap: {name: web}}]
                  containers:
                    - name: app
                      image: web:1
                      args: [--a, --b]
                      env: [{name: MODE, value: prod}, {name: LOG, value: info}]
                      resources: {requests: {cpu: 500m, memory: 1Gi}}
                      volumeMounts: [{name: cache, mountPath: /cache}]
                    - name: sidecar
                      image: proxy:2
            """);

    private static ObjectNode merge(ObjectNode original, String patch) {
        return StrategicMerge.apply(original, yaml(patch), MergeKeys.of(DEPLOYMENT, List.of()));
    }

    private static JsonNode container(ObjectNode d, int i) {
        return d.at("/spec/template/spec/containers/" + i);
    }

    @Test
    void containersMergeByNameAndWhatThePatchLeavesAloneStays() {
        ObjectNode out = merge(WEB, """
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          resources: {requests: {cpu: "2"}}
                """);
        assertEquals("2", container(out, 0).at("/resources/requests/cpu").asText());
        assertEquals("1Gi", container(out, 0).at("/resources/requests/memory").asText(), "the map merged, not replaced");
        assertEquals("web:1", container(out, 0).get("image").asText());
        assertEquals("sidecar", container(out, 1).get("name").asText(), "the other container is untouched");
        assertEquals(3, out.at("/spec/replicas").asInt());
        assertEquals("500m", container(WEB, 0).at("/resources/requests/cpu").asText(), "the original is not changed");
    }

    @Test
    void envMergesByNameNewItemsAreAppendedAndDeleteRemovesOne() {
        ObjectNode out = merge(WEB, """
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          env:
                            - {name: LOG, value: debug}
                            - {name: NEW, value: "1"}
                            - {name: MODE, $patch: delete}
                        - name: tracer
                          image: tracer:1
                """);
        JsonNode env = container(out, 0).get("env");
        assertEquals(2, env.size(), env.toString());
        assertEquals("LOG", env.get(0).get("name").asText());
        assertEquals("debug", env.get(0).get("value").asText());
        assertEquals("NEW", env.get(1).get("name").asText());
        assertEquals("tracer", container(out, 2).get("name").asText(), "a new container is appended");
        assertFalse(container(out, 2).has("$patch"));
    }

    @Test
    void atomicListsAreReplacedAndNullRemovesAKey() {
        ObjectNode out = merge(WEB, """
                metadata: {labels: {app: null, team: checkout}}
                spec:
                  template:
                    spec:
                      tolerations: [{key: b, operator: Exists}]
                      containers:
                        - name: app
                          args: [--c]
                """);
        assertEquals("[{\"key\":\"b\",\"operator\":\"Exists\"}]", out.at("/spec/template/spec/tolerations").toString(),
                "tolerations are atomic in Kubernetes: replaced");
        assertEquals("[\"--c\"]", container(out, 0).get("args").toString());
        assertFalse(out.at("/metadata/labels").has("app"));
        assertEquals("checkout", out.at("/metadata/labels/team").asText());
    }

    @Test
    void replaceDirectivesAndPrimitiveSets() {
        ObjectNode out = merge(WEB, """
                metadata:
                  finalizers: [b, a]
                spec:
                  template:
                    spec:
                      volumes:
                        - $patch: replace
                        - {name: only, emptyDir: {}}
                      containers:
                        - name: app
                          resources:
                            $patch: replace
                            requests: {cpu: "1"}
                """);
        assertEquals("[\"a\",\"b\"]", out.at("/metadata/finalizers").toString(), "finalizers merge as a set");
        assertEquals(1, out.at("/spec/template/spec/volumes").size());
        assertEquals("only", out.at("/spec/template/spec/volumes/0/name").asText());
        assertEquals("{\"requests\":{\"cpu\":\"1\"}}", container(out, 0).get("resources").toString());
    }

    @Test
    void retainKeysAndDeleteFromPrimitiveList() {
        ObjectNode out = merge(WEB, """
                metadata:
                  $deleteFromPrimitiveList/finalizers: [a]
                spec:
                  template:
                    spec:
                      volumes:
                        - name: conf
                          $retainKeys: [name, secret]
                          secret: {secretName: web}
                """);
        assertEquals("[]", out.at("/metadata/finalizers").toString());
        JsonNode conf = out.at("/spec/template/spec/volumes/1");
        assertEquals("web", conf.at("/secret/secretName").asText());
        assertFalse(conf.has("configMap"), "$retainKeys dropped the old volume source: " + conf);
    }

    @Test
    void aMergingListItemWithoutItsKeyIsRefused() {
        var e = assertThrows(StrategicMerge.PatchException.class, () -> merge(WEB, """
                spec: {template: {spec: {containers: [{image: web:2}]}}}
                """));
        assertTrue(e.getMessage().contains("/spec/template/spec/containers: an item has no 'name'"), e.getMessage());
        assertThrows(StrategicMerge.PatchException.class, () -> merge(WEB, "spec: {$patch: explode}"));
    }

    @Test
    void cronJobsAndCustomKindsGetTheirPodTemplatesTyped() {
        ObjectNode cron = yaml("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: hello}
                spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: a, image: x}, {name: b, image: y}]}}}}}
                """);
        ObjectNode out = StrategicMerge.apply(cron, yaml("spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: b, image: z}]}}}}}"),
                MergeKeys.of(new Gvk("batch", "v1", "CronJob"), List.of()));
        assertEquals(2, out.at("/spec/jobTemplate/spec/template/spec/containers").size());
        assertEquals("z", out.at("/spec/jobTemplate/spec/template/spec/containers/1/image").asText());

        Gvk custom = new Gvk("example.com", "v1", "Worker");
        ObjectNode w = yaml("{apiVersion: example.com/v1, kind: Worker, metadata: {name: w}, spec: {pod: {spec: {containers: [{name: a, image: x}]}}}}");
        ObjectNode typed = StrategicMerge.apply(w, yaml("spec: {pod: {spec: {containers: [{name: c, image: q}]}}}"),
                MergeKeys.of(custom, List.of("/spec/pod")));
        assertEquals(2, typed.at("/spec/pod/spec/containers").size(), "the tracer's podSpecTemplatePaths type the template");
        ObjectNode untyped = StrategicMerge.apply(w, yaml("spec: {pod: {spec: {containers: [{name: c, image: q}]}}}"),
                MergeKeys.of(custom, List.of()));
        assertEquals(1, untyped.at("/spec/pod/spec/containers").size(), "without a known template the list is replaced");
    }
}
