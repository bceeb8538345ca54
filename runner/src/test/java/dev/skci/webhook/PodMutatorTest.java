package dev.skci.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.cluster.SimNames;
import dev.skci.sim.LifecycleResolver;
import dev.skci.replay.ObjectTransformer;
import dev.skci.sim.ReplayedObjects;
import dev.skci.sim.RunIdentity;
import dev.skci.sim.VirtualNamespaces;
import dev.skci.trace.Gvk;
import dev.skci.trace.KubeObject;
import dev.skci.trace.LifecycleOwner;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.PodLifecycles;
import dev.skci.trace.TracerConfig;
import dev.skci.trace.TrackedKinds;
import dev.skci.trace.hash.StablePodSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The admission decisions, without a cluster: owner lookups are stubbed, nothing else is. */
class PodMutatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Gvk CRONJOB = new Gvk("batch", "v1", "CronJob");
    private static final Gvk JOB = new Gvk("batch", "v1", "Job");
    private static final long START = 1000;

    private final ReplayedObjects replayed = new ReplayedObjects();
    private final Map<String, List<OwnerLookup.OwnerRef>> owners = new LinkedHashMap<>();
    private boolean unknownOwners;

    private boolean cacheKnows;

    private PodMutator mutator(PodLifecycles lifecycles, double speed) {
        OwnerLookup lookup = new OwnerLookup() {
            @Override
            public Result find(String ns, OwnerRef ref) {
                return owners.containsKey(ref.gvk().kind() + "/" + ref.name())
                        ? new OwnerLookup.Found(owners.get(ref.gvk().kind() + "/" + ref.name()))
                        : unknownOwners ? new OwnerLookup.Unknown("the API server did not answer")
                        : new OwnerLookup.Gone(ref.gvk() + " " + ns + "/" + ref.name() + " was not found: it was deleted");
            }

            @Override
            public Result cached(String ns, OwnerRef ref) {
                return cacheKnows ? find(ns, ref) : null;
            }
        };
        return new PodMutator(
                new PodMutator.Context("skci-run", new VirtualNamespaces("virtual"), Set.of("virtual-default", "virtual-testing"), START),
                replayed, lookup, new LifecycleResolver(lifecycles, START, speed));
    }

    private static AdmissionRequest create(String ns, String json) throws Exception {
        return new AdmissionRequest("uid", "CREATE", ns, "", "", false, (ObjectNode) JSON.readTree(json));
    }

    /** Applies the patch as the API server would: a real RFC 6902 implementation (array indexes, escapes and all). */
    static ObjectNode apply(ObjectNode doc, ArrayNode patch) {
        return (ObjectNode) io.fabric8.zjsonpatch.JsonPatch.apply(patch, doc);
    }

    @Test
    void jobPodGetsTheCronJobsLifecycleScaledBySpeed() throws Exception {
        replayed.register("virtual-default", new ReplayedObjects.Entry(CRONJOB, "default", "hello", List.of()));
        owners.put("Job/hello-123", List.of(new OwnerLookup.OwnerRef(CRONJOB, "hello", true)));
        PodLifecycles l = new PodLifecycles(new LinkedHashMap<>(Map.of(
                new LifecycleOwner("batch/v1.CronJob", "default/hello"),
                new LinkedHashMap<>(Map.of(5L, List.<PodLifecycle>of(new PodLifecycle.Finished(1010, 1040)))))));
        PodMutator m = mutator(l, 10);
        String pod = """
                {"metadata":{"generateName":"hello-123-","ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"hello-123","controller":true}]},
                 "spec":{"containers":[{"name":"c","image":"busybox"}]}}""";
        AdmissionResponse r = m.handle(create("virtual-default", pod));
        assertTrue(r.allowed());
        ObjectNode out = apply((ObjectNode) JSON.readTree(pod), r.patch());
        assertEquals("virtual", out.at("/spec/nodeSelector/type").asText());
        assertEquals("kwok-provider", out.at("/spec/tolerations/0/key").asText());
        assertEquals("skci-run", out.at("/metadata/labels").get(SimNames.LABEL_SIMULATION).asText());
        assertEquals("3000ms", out.at("/metadata/annotations").get(SimNames.STAGE_COMPLETE_AFTER).asText());
        assertEquals("0", out.at("/metadata/annotations").get(SimNames.ANNOTATION_POD_SEQUENCE).asText());
        assertEquals("default", out.at("/metadata/annotations").get(SimNames.ANNOTATION_ORIGINAL_NAMESPACE).asText());
        assertEquals(1, m.stats().completes());
    }

    @Test
    void barePodIsLookedUpAsItsOwnOwnerAndLosesNodeName() throws Exception {
        PodLifecycles l = new PodLifecycles(new LinkedHashMap<>(Map.of(
                new LifecycleOwner("v1.Pod", "testing/bare-1"),
                new LinkedHashMap<>(Map.of(9L, List.<PodLifecycle>of(new PodLifecycle.Finished(990, 1012)))))));
        String pod = """
                {"metadata":{"name":"bare-1","labels":{"app":"x"},"annotations":{"a":"b"}},
                 "spec":{"nodeName":"prod-7","tolerations":[{"key":"other","operator":"Exists"}],"containers":[{"name":"c","image":"busybox"}]}}""";
        AdmissionResponse r = mutator(l, 1).handle(create("virtual-testing", pod));
        ObjectNode out = apply((ObjectNode) JSON.readTree(pod), r.patch());
        assertFalse(out.at("/spec").has("nodeName"));
        assertEquals(2, out.at("/spec/tolerations").size());
        assertEquals("x", out.at("/metadata/labels/app").asText());
        assertEquals("12000ms", out.at("/metadata/annotations").get(SimNames.STAGE_COMPLETE_AFTER).asText(), "only the remaining 12 s");
    }

    @Test
    void barePodTimingAnnotationsGiveTheRemainingLifetime() throws Exception {
        String pod = """
                {"metadata":{"name":"p","annotations":{"simkube.io/original-creation-timestamp":"900",
                  "simkube.io/original-deletion-timestamp":"1970-01-01T00:17:00Z"}},"spec":{"containers":[]}}""";
        AdmissionResponse r = mutator(PodLifecycles.empty(), 2).handle(create("virtual-testing", pod));
        ObjectNode out = apply((ObjectNode) JSON.readTree(pod), r.patch());
        assertEquals("10000ms", out.at("/metadata/annotations").get(SimNames.STAGE_COMPLETE_AFTER).asText(), "(1020-1000)/2 s");
    }

    @Test
    void podInAVirtualNamespaceOfAnotherRunIsDenied() throws Exception {
        AdmissionResponse r = mutator(PodLifecycles.empty(), 1).handle(create("virtual-elsewhere", "{\"metadata\":{\"name\":\"p\"},\"spec\":{}}"));
        assertFalse(r.allowed());
        assertTrue(r.message().contains("not part of run skci-run"), r.message());
    }

    @Test
    void updatesAreNeverMutated() throws Exception {
        AdmissionRequest update = new AdmissionRequest("u", "UPDATE", "virtual-default", "p", "status", false,
                (ObjectNode) JSON.readTree("{\"metadata\":{\"name\":\"p\"}}"));
        AdmissionResponse r = mutator(PodLifecycles.empty(), 1).handle(update);
        assertTrue(r.allowed());
        assertEquals(null, r.patch());
    }

    @Test
    void hashUndoesSkciTemplateChangesToMatchProduction() throws Exception {
        ObjectNode production = (ObjectNode) JSON.readTree("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"testing"},
                 "spec":{"containers":[{"name":"c","image":"busybox"}],"nodeSelector":{"zone":"a"}}}""");
        long expected = StablePodSpec.hash(production.get("spec"));
        ObjectNode simulated = new ObjectTransformer(new RunIdentity("r", "u"), new VirtualNamespaces("virtual"),
                TrackedKinds.normalize(TracerConfig.empty())).transform(new KubeObject(production)).object();
        assertEquals(expected, PodMutator.podHash(simulated));
    }

    private static final String ORPHAN = """
            {"metadata":{"generateName":"svc-20-84d8665b96-","ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet",
              "name":"svc-20-84d8665b96","uid":"0b9e","controller":true}]},
             "spec":{"containers":[{"name":"c","image":"busybox"}]}}""";

    /** The false red under load: a ReplicaSet deleted with its Deployment while its controller still created pods. */
    @Test
    void aPodWhoseOwnerIsGoneIsAdmittedToTheVirtualNodesNotDenied() throws Exception {
        PodMutator m = mutator(PodLifecycles.empty(), 1);
        AdmissionResponse r = m.handle(create("virtual-default", ORPHAN));
        assertTrue(r.allowed(), "a gone owner is benign: the garbage collector removes the pod");
        ObjectNode out = apply((ObjectNode) JSON.readTree(ORPHAN), r.patch());
        assertEquals("virtual", out.at("/spec/nodeSelector/type").asText(), "still fail closed: only virtual nodes");
        assertEquals("kwok-provider", out.at("/spec/tolerations/0/key").asText());
        assertEquals(0, m.stats().denied());
        assertEquals(1, m.stats().ownerGone());
        assertTrue(r.message().contains("its owner apps/v1.ReplicaSet virtual-default/svc-20-84d8665b96 was not found: it was deleted"),
                r.message());
    }

    @Test
    void aPodWhoseOwnerCannotBeLookedUpGetsNoLifecycleButIsNotDenied() throws Exception {
        unknownOwners = true;
        PodMutator m = mutator(PodLifecycles.empty(), 1);
        AdmissionResponse r = m.handle(create("virtual-default", ORPHAN));
        assertTrue(r.allowed());
        assertEquals(0, m.stats().denied());
        assertEquals(1, m.stats().ownerUnknown());
        assertEquals(1, m.stats().noLifecycle());
    }

    /** The server's fast path: decided from memory, or null (and nothing recorded) when a lookup would have to ask. */
    @Test
    void decidesWithoutBlockingOnlyWhatTheCacheKnows() throws Exception {
        PodMutator m = mutator(PodLifecycles.empty(), 1);
        assertNull(m.handleWithoutBlocking(create("virtual-default", ORPHAN)), "the owner is not cached: the server must hop");
        assertEquals(0, m.stats().ownerGone() + m.stats().noLifecycle() + m.stats().denied(), "nothing recorded for the retry");
        AdmissionResponse slow = m.handle(create("virtual-default", ORPHAN));
        cacheKnows = true;
        AdmissionResponse quick = m.handleWithoutBlocking(create("virtual-default", ORPHAN));
        assertEquals(slow.patch(), quick.patch());
        assertEquals(slow.message(), quick.message());
        assertEquals(2, m.stats().ownerGone(), "each decision recorded once");
        cacheKnows = false;
        String bare = """
                {"metadata":{"name":"bare-2"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""";
        assertTrue(m.handleWithoutBlocking(create("virtual-testing", bare)).allowed(), "a bare pod needs no lookup");
        assertTrue(m.handleWithoutBlocking(create("elsewhere", bare)) instanceof AdmissionResponse r && !r.allowed(),
                "a foreign namespace is denied from memory too");
    }
}
