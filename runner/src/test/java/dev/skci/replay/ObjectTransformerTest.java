package dev.skci.replay;

import dev.skci.sim.RunIdentity;
import dev.skci.sim.VirtualNamespaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.cluster.SimNames;
import dev.skci.trace.KubeObject;
import dev.skci.trace.TracerConfig;
import dev.skci.trace.TrackedKinds;
import org.junit.jupiter.api.Test;

class ObjectTransformerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectTransformer transformer = new ObjectTransformer(
            new RunIdentity("skci-test", "uid-1"), new VirtualNamespaces("virtual"), TrackedKinds.normalize(TracerConfig.empty()));

    private static KubeObject obj(String json) throws Exception {
        return new KubeObject((ObjectNode) JSON.readTree(json));
    }

    @Test
    void barePodIsItsOwnTemplateAndLosesNodeNameAndApiAccessVolumes() throws Exception {
        KubeObject pod = obj("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"testing","uid":"x","resourceVersion":"9",
                 "creationTimestamp":"2025-01-01T00:00:00Z","finalizers":["a/b"],"ownerReferences":[],"annotations":{}},
                 "spec":{"nodeName":"prod-node-7","containers":[{"name":"c","image":"busybox","ports":[{"containerPort":80}],
                   "volumeMounts":[{"name":"kube-api-access-abc","mountPath":"/var/run/secrets"},{"name":"data","mountPath":"/d"}]}],
                  "volumes":[{"name":"kube-api-access-abc","projected":{}},{"name":"data","emptyDir":{}}]},
                 "status":{"phase":"Running"}}""");
        JsonNode out = transformer.transform(pod).object();
        assertFalse(out.has("status"));
        assertEquals("virtual-testing", out.at("/metadata/namespace").asText());
        assertFalse(out.at("/metadata").has("uid"));
        assertFalse(out.at("/metadata").has("finalizers"));
        assertFalse(out.at("/metadata").has("resourceVersion"));
        assertFalse(out.at("/spec").has("nodeName"));
        assertEquals("virtual", out.at("/spec/nodeSelector/type").asText());
        assertEquals("kwok-provider", out.at("/spec/tolerations/0/key").asText());
        assertEquals(1, out.at("/spec/volumes").size());
        assertEquals(1, out.at("/spec/containers/0/volumeMounts").size());
        assertFalse(out.at("/spec/containers/0").has("ports"));
        assertEquals("testing", out.at("/metadata/annotations").get(SimNames.ANNOTATION_ORIGINAL_NAMESPACE).asText());
        assertEquals("skci-test", out.at("/metadata/ownerReferences/0/name").asText());
        assertEquals("uid-1", out.at("/metadata/ownerReferences/0/uid").asText());
        // No double slash anywhere: the template path "" is the object itself (bare-pod problem 1).
        assertFalse(out.toString().contains("\"\":"));
    }

    @Test
    void cronJobTemplateIsRetargetedOnceAndForeignOwnersAreRemembered() throws Exception {
        KubeObject cj = obj("""
                {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"hello","namespace":"default",
                  "ownerReferences":[{"apiVersion":"example.com/v1","kind":"Scheduler","name":"boss","uid":"u"}]},
                 "spec":{"schedule":"* * * * *","jobTemplate":{"spec":{"template":{"spec":{
                   "tolerations":[{"key":"kwok-provider","operator":"Exists","effect":"NoSchedule"}],
                   "nodeSelector":{"type":"gpu","zone":"a"},"containers":[{"name":"c","image":"busybox"}]}}}}}}""");
        ObjectTransformer.Transformed t = transformer.transform(cj);
        JsonNode tpl = t.object().at("/spec/jobTemplate/spec/template");
        assertEquals(1, tpl.at("/spec/tolerations").size(), "the toleration is added once, not duplicated");
        assertEquals("virtual", tpl.at("/spec/nodeSelector/type").asText());
        assertEquals("a", tpl.at("/spec/nodeSelector/zone").asText());
        JsonNode changes = JSON.readTree(tpl.at("/metadata/annotations").get(SimNames.ANNOTATION_TEMPLATE_CHANGES).asText());
        assertEquals("gpu", changes.get("nodeSelectorType").asText());
        assertFalse(changes.get("tolerationAdded").asBoolean());
        assertEquals(1, t.object().at("/metadata/ownerReferences").size(), "only the run root owns the applied object");
        assertEquals("Scheduler", t.foreignOwners().get(0).gvk().kind());
        assertEquals("boss", t.foreignOwners().get(0).name());
    }

    @Test
    void traceObjectIsNotModified() throws Exception {
        KubeObject pod = obj("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"n\"},\"spec\":{\"nodeName\":\"x\"}}");
        String before = pod.node().toString();
        transformer.transform(pod);
        assertEquals(before, pod.node().toString());
        assertTrue(before.contains("nodeName"));
    }

    @Test
    void namespacePrefixAndLengthAreChecked() {
        VirtualNamespaces ns = new VirtualNamespaces("virtual");
        assertEquals("virtual-default", ns.virtualName("default"));
        assertEquals("default", ns.originalName("virtual-default"));
        org.junit.jupiter.api.Assertions.assertThrows(dev.skci.SkciException.class, () -> ns.check("x".repeat(60)));
        org.junit.jupiter.api.Assertions.assertThrows(dev.skci.SkciException.class, () -> new VirtualNamespaces("Bad_Prefix"));
    }
}
