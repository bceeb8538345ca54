package dev.skci.trace.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.TestData;
import dev.skci.trace.KubeObject;
import dev.skci.trace.Trace;
import dev.skci.trace.codec.TraceFile;
import org.junit.jupiter.api.Test;

/** The test vectors of docs/trace-format.md §5.5, which come from SimKube's own tests and files. */
class JsonHashTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void upstreamDeploymentSpecConstant() throws Exception {
        assertEquals("3664028200602729212", Long.toUnsignedString(JsonHash.hash(json("{\"replicas\": 42}"))));
    }

    @Test
    void upstreamDaemonSetSpecConstant() throws Exception {
        assertEquals("16161139027557399432",
                Long.toUnsignedString(JsonHash.hash(json("{\"updateStrategy\": {\"type\": \"onDelete\"}}"))));
    }

    @Test
    void emptyPodSpecStableHash() throws Exception {
        assertEquals("17506812802394981455", Long.toUnsignedString(StablePodSpec.hash(json("{}"))));
        assertEquals("17506812802394981455",
                Long.toUnsignedString(JsonHash.hash(json("{\"containers\": [], \"volumes\": []}"))));
    }

    @Test
    void missingSpecHashesAsNull() {
        assertEquals("13646096770106105413", Long.toUnsignedString(JsonHash.NULL));
    }

    @Test
    void cronJobIndexHashMatchesTheFile() {
        Trace t = TraceFile.open(TestData.sharedTrace("cronjob.sktrace")).readAll();
        KubeObject cj = t.events().get(1).applied().get(0);
        long recorded = t.index().entries().get("batch/v1.CronJob").get("default/hello-simkube");
        assertEquals("17156035354639895998", Long.toUnsignedString(recorded));
        assertEquals(recorded, JsonHash.hash(cj.get("spec")));
    }

    @Test
    void cronJobPodHashNeedsTheLivePodDefaults() throws Exception {
        Trace t = TraceFile.open(TestData.sharedTrace("cronjob.sktrace")).readAll();
        JsonNode template = t.events().get(1).applied().get(0).node()
                .at("/spec/jobTemplate/spec/template/spec").deepCopy();
        assertEquals("5389942583993762182", Long.toUnsignedString(StablePodSpec.hash(template)));
        // What the API server adds to a real pod: the recorded lifecycle key then matches exactly.
        var live = (com.fasterxml.jackson.databind.node.ObjectNode) template;
        live.put("enableServiceLinks", true);
        live.put("preemptionPolicy", "PreemptLowerPriority");
        live.put("priority", 0);
        live.set("tolerations", json("""
                [{"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":"Exists","tolerationSeconds":300},
                 {"effect":"NoExecute","key":"node.kubernetes.io/unreachable","operator":"Exists","tolerationSeconds":300}]"""));
        assertEquals("10855072724872030168", Long.toUnsignedString(StablePodSpec.hash(live)));
    }

    @Test
    void intAndFloatHashDifferently() throws Exception {
        assertEquals(false, JsonHash.hash(json("1")) == JsonHash.hash(json("1.0")));
        assertEquals(JsonHash.hash(json("0.0")), JsonHash.hash(json("-0.0")));
    }

    @Test
    void keyOrderDoesNotMatterButIsByUtf8Bytes() throws Exception {
        assertEquals(JsonHash.hash(json("{\"a\":1,\"b\":2}")), JsonHash.hash(json("{\"b\":2,\"a\":1}")));
    }

    @Test
    void streamingBoundariesDoNotMatter() {
        byte[] data = "the quick brown fox jumps over the lazy dog".getBytes();
        long whole = new SipHash13().write(data).finish();
        SipHash13 parts = new SipHash13();
        for (byte b : data) {
            parts.write(b);
        }
        assertEquals(whole, parts.finish());
        SipHash13 mixed = new SipHash13().write(data, 0, 3).write(data, 3, data.length - 3);
        assertEquals(whole, mixed.finish());
    }
}
