package dev.skci.trace.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.trace.Gvk;
import dev.skci.trace.LifecycleOwner;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.PodTemplates;
import dev.skci.trace.TestTraces;
import dev.skci.trace.Trace;
import dev.skci.trace.hash.JsonHash;
import dev.skci.trace.hash.StablePodSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceJsonImporterTest {

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static final String SMALL = """
            events:
              - ts: "2025-01-01T00:00:00Z"
                applied_objs:
                  - apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web, namespace: shop}
                    spec:
                      replicas: 1
                      template:
                        spec:
                          containers: [{name: c, image: nginx}]
                  - apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: cm, namespace: shop}
                    data: {a: "1"}
              - ts: 1735689660
                applied_objs:
                  - apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web, namespace: shop}
                    spec:
                      replicas: 3
                      template:
                        spec:
                          containers: [{name: c, image: nginx}]
              - ts: 1735689720
                deleted_objs:
                  - {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop}}
            pod_lifecycles:
              - owner: {gvk: apps/v1.Deployment, nsName: shop/web}
                lifecycles:
                  - Running: "2025-01-01T00:00:05+01:00"
                  - Finished: [1735689610, 1735689640]
            """;

    @Test
    void fillsInWhatAHandWrittenSourceLeavesOut() throws IOException {
        Trace t = TraceJsonImporter.read(file("small.yaml", SMALL));
        // config: the built-in kinds applied, with SimKube 2.6+'s explicit paths, trackLifecycle for owners.
        assertEquals("{\"trackedObjects\":{\"apps/v1.Deployment\":{\"podSpecTemplatePaths\":[\"/spec/template\"],"
                + "\"trackLifecycle\":true}}}", t.config().raw().toString());
        // ts: RFC 3339 strings become Unix seconds; missing object lists become empty.
        assertEquals(1735689600L, t.events().get(0).ts());
        assertEquals(List.of(), t.events().get(0).deleted());
        assertEquals(List.of(), t.events().get(2).applied());
        // index: every applied object, first-appearance order, spec hash of the last applied version.
        Map<String, Map<String, Long>> idx = t.index().entries();
        assertEquals(List.of("apps/v1.Deployment", "v1.ConfigMap"), List.copyOf(idx.keySet()));
        assertEquals(JsonHash.hash(t.events().get(1).applied().get(0).get("spec")), idx.get("apps/v1.Deployment").get("shop/web"));
        assertEquals(JsonHash.NULL, idx.get("v1.ConfigMap").get("shop/cm"));
        // lifecycle hash: the stable hash of the owner's first pod template; times may be RFC 3339 with offsets.
        Map<Long, List<PodLifecycle>> b = t.lifecycles().entries().get(new LifecycleOwner("apps/v1.Deployment", "shop/web"));
        long expected = StablePodSpec.hash(PodTemplates.matches(t.events().get(0).applied().get(0), List.of("/spec/template")).get(0).podSpec());
        assertEquals(Map.of(expected, List.of(new PodLifecycle.Running(1735689605L - 3600), new PodLifecycle.Finished(1735689610L, 1735689640L))), b);
        // Nothing is invented inside objects.
        assertNull(t.events().get(0).applied().get(0).metadata().get("annotations"));
    }

    @Test
    void theSameSourceAlwaysGivesTheSameBytes() throws IOException {
        Path p = file("small.yaml", SMALL);
        assertArrayEquals(TestTraces.bytes(TraceJsonImporter.read(p)), TestTraces.bytes(TraceJsonImporter.read(p)));
    }

    @Test
    void jsonAndYamlSourcesAgree() throws IOException {
        Path yaml = file("a.yaml", "events: [{ts: 1, applied_objs: [{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: n}, "
                + "spec: {x: 1.0, y: 2, z: 18446744073709551615}}]}]\n");
        Path json = file("a.json", "{\"events\": [{\"ts\": 1, \"applied_objs\": [{\"apiVersion\": \"v1\", \"kind\": \"Pod\", "
                + "\"metadata\": {\"name\": \"p\", \"namespace\": \"n\"}, \"spec\": {\"x\": 1.0, \"y\": 2, \"z\": 18446744073709551615}}]}]}");
        byte[] a = TestTraces.bytes(TraceJsonImporter.read(yaml));
        assertArrayEquals(a, TestTraces.bytes(TraceJsonImporter.read(json)));
        Trace t = TraceJsonImporter.read(yaml);
        assertTrue(t.events().get(0).applied().get(0).get("spec").get("x").isDouble());
        assertTrue(t.events().get(0).applied().get(0).get("spec").get("y").isInt());
        assertTrue(t.events().get(0).applied().get(0).get("spec").get("z").isBigInteger());
        // A bare pod gets the Pod config SimKube uses for bare pods.
        assertEquals("{\"trackedObjects\":{\"v1.Pod\":{\"podSpecTemplatePaths\":[\"\"],\"skipOwned\":true}}}", t.config().raw().toString());
        assertFalse(t.config().raw().get("trackedObjects").get("v1.Pod").has("trackLifecycle"));
    }

    @Test
    void explicitPartsAreKeptExactly() throws IOException {
        Trace t = TraceJsonImporter.read(file("e.json", """
                {"version": 2, "config": {"trackedObjects": {"apps/v1.Deployment": {}}},
                 "events": [], "index": {}, "pod_lifecycles": [
                   {"owner": {"gvk": "x.io/v1.Thing", "nsName": "n/t"}, "hashes": [{"hash": 18446744073709551615, "lifecycles": ["Empty", {"Empty": null}]}]}]}"""));
        assertEquals("{\"trackedObjects\":{\"apps/v1.Deployment\":{}}}", t.config().raw().toString());
        assertEquals(0, t.index().size());
        assertEquals(List.of(PodLifecycle.EMPTY, PodLifecycle.EMPTY),
                t.lifecycles().buckets(Gvk.parse("x.io/v1.Thing"), "n/t").get(-1L));
    }

    private TraceImportException refused(String name, String text) throws IOException {
        Path p = file(name, text);
        return assertThrows(TraceImportException.class, () -> TraceJsonImporter.read(p));
    }

    @Test
    void badSourcesAreRefusedWithPointerAndLine() throws IOException {
        TraceImportException e = refused("a.yaml", "events:\n  - ts: 1\n  - applied_objs: []\n");
        assertEquals(dir.resolve("a.yaml") + ": /events/1 (line 3): the event has no ts (Unix seconds or an RFC 3339 time)", e.getMessage());
        assertEquals("/events/1", e.pointer());

        e = refused("b.yaml", "events:\n  - ts: 1\n    applied_objs:\n      - kind: Pod\n        metadata: {name: x}\n        spec: {n: 99999999999999999999999}\n");
        assertTrue(e.getMessage().endsWith("/events/0/applied_objs/0/spec/n (line 6): integer 99999999999999999999999 does not fit in 64 bits"), e.getMessage());

        e = refused("c.json", "{\"events\": [], \"pod_lifecycles\": [{\"owner\": {\"gvk\": \"v1.Pod\", \"nsName\": \"n/p\"}, \"lifecycles\": []}]}");
        assertTrue(e.getMessage().contains("/pod_lifecycles/0/lifecycles (line 1): an empty lifecycle list is not allowed"), e.getMessage());

        e = refused("d.yaml", "events: []\npod_lifecycles:\n  - owner: {gvk: v1.Pod, nsName: n/p}\n    lifecycles: [Empty]\n");
        assertTrue(e.getMessage().endsWith("/pod_lifecycles/0 (line 3): cannot compute the pod-spec hash: no event applies v1.Pod n/p; write the hash or apply the owner"), e.getMessage());

        e = refused("e.yaml", "version: 3\nevents: []\n");
        assertTrue(e.getMessage().contains("/version (line 1): version must be 2"), e.getMessage());

        e = refused("f.yaml", "events: []\nextra: 1\n");
        assertTrue(e.getMessage().contains("/extra (line 2): unknown key 'extra'"), e.getMessage());

        e = refused("g.yaml", "events:\n  - ts: 1\n    ts: 2\n");
        assertTrue(e.getMessage().startsWith(dir.resolve("g.yaml") + ": line 3: cannot parse: Duplicate field 'ts'"), e.getMessage());

        e = refused("h.json", "{\"events\": [1,]}");
        assertTrue(e.getMessage().startsWith(dir.resolve("h.json") + ": line 1: cannot parse: "), e.getMessage());

        e = refused("i.yaml", "events:\n  - ts: \"2025-01-01T00:00:00.5Z\"\n");
        assertTrue(e.getMessage().contains("/events/0/ts (line 2): '2025-01-01T00:00:00.5Z' has a fraction of a second"), e.getMessage());

        e = refused("j.yaml", "events: [{ts: 1, applied_objs: [{a: !!binary aGVsbG8=}]}]\n");
        assertTrue(e.getMessage().contains("/events/0/applied_objs/0/a (line 1): a binary value has no place in a trace"), e.getMessage());

        e = refused("k.yaml", "");
        assertEquals(dir.resolve("k.yaml") + ": is empty; expected a JSON or YAML trace source", e.getMessage());

        e = refused("l.yaml", "events: []\nindex: {\"v1.Pod\": {\"n/p\": -1}}\n");
        assertTrue(e.getMessage().contains("/index/v1.Pod/n~1p (line 2): a hash must be an integer"), e.getMessage());

        e = refused("m.yaml", "config: [1]\nevents: []\n");
        assertTrue(e.getMessage().contains("/config (line 1): config must be a map"), e.getMessage());

        e = refused("n.yaml", "{}\n");
        assertTrue(e.getMessage().contains("the top level (line 1): events is missing"), e.getMessage());

        e = refused("o.yaml", "events: []\npod_lifecycles:\n  - owner: {gvk: not-a-gvk, nsName: n/p}\n    hashes: []\n");
        assertTrue(e.getMessage().contains("/pod_lifecycles/0/owner/gvk (line 3): 'not-a-gvk' is not a GVK"), e.getMessage());

        assertEquals(dir.resolve("zz.yaml") + ": no such file", assertThrows(TraceImportException.class,
                () -> TraceJsonImporter.read(dir.resolve("zz.yaml"))).getMessage());
    }

    @Test
    void deepNestingIsRefusedBeforeTheReaderWouldRefuseIt() throws IOException {
        String deep = "[".repeat(600) + "]".repeat(600);
        TraceImportException e = refused("deep.json", "{\"events\": [{\"ts\": 1, \"applied_objs\": [{\"a\": " + deep + "}]}]}");
        assertTrue(e.getMessage().contains("values nest deeper than 500 levels"), e.getMessage());
    }
}
