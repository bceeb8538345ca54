package dev.skci.trace.validate;

import static dev.skci.trace.TestTraces.config;
import static dev.skci.trace.TestTraces.deployment;
import static dev.skci.trace.TestTraces.event;
import static dev.skci.trace.TestTraces.index;
import static dev.skci.trace.TestTraces.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.TestData;
import dev.skci.trace.KubeObject;
import dev.skci.trace.LifecycleOwner;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.PodLifecycles;
import dev.skci.trace.TestTraces;
import dev.skci.trace.Trace;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.codec.TraceFile;
import dev.skci.trace.hash.JsonHash;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidatorTest {

    @Test
    void simkubeCronJobTraceHasNoFindings() {
        ValidationReport r = Validator.validate(TraceFile.open(TestData.sharedTrace("cronjob.sktrace")));
        assertEquals(List.of(), r.findings());
        assertFalse(r.hasErrors());
        assertEquals(3, r.eventCount());
        assertEquals(2, r.objectCount());
    }

    private static final KubeObject WEB = obj("""
            {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'ns1'},
             'spec':{'replicas':2,'template':{'metadata':{},'spec':{
               'serviceAccountName':'robot',
               'containers':[{'name':'app','image':'x',
                 'env':[{'name':'A','valueFrom':{'secretKeyRef':{'name':'db-secret','key':'k'}}},
                        {'name':'B','valueFrom':{'configMapKeyRef':{'name':'opt-cm','key':'k','optional':true}}}],
                 'envFrom':[{'configMapRef':{'name':'settings'}}]}],
               'volumes':[{'name':'tls','secret':{'secretName':'tls','optional':true}},
                          {'name':'cfg','configMap':{'name':'other-cm'}},
                          {'name':'kube-api-access-x','projected':{'sources':[{'configMap':{'name':'kube-root-ca.crt'}},
                                                                                {'secret':{'name':'proj-secret'}}]}}]}}},
             'status':{'replicas':2}}""");

    private static Trace brokenTrace() {
        KubeObject web3 = obj(WEB.node().toString().replace("\"replicas\":2,", "\"replicas\":3,"));
        List<TraceEvent> events = List.of(
                event(100, List.of(WEB, obj("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'ns1'}}"),
                        obj("{'apiVersion':'v1','metadata':{'name':'nokind','namespace':'ns1'}}")), List.of()),
                event(90, List.of(obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'settings','namespace':'ns1'}}")),
                        List.of(obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'ghost','namespace':'ns1'}}"))),
                event(120, List.of(web3, obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'nons'}}"),
                        obj("{'apiVersion':'v1','kind':'Secret','metadata':{'name':'empty-ns','namespace':''}}")), List.of()));
        Map<LifecycleOwner, Map<Long, List<PodLifecycle>>> lc = new LinkedHashMap<>();
        lc.put(new LifecycleOwner("apps/v1.Deployment", "ns1/web"), Map.of(1L, List.of(new PodLifecycle.Finished(130, 125))));
        lc.put(new LifecycleOwner("apps/v1.Deployment", "ns1/other"), Map.of(2L, List.of()));
        lc.put(new LifecycleOwner("not a gvk", "ns1/x"), Map.of(3L, List.of(PodLifecycle.EMPTY)));
        return new Trace(
                config("""
                        {'trackedObjects':{'apps/v1.Deployment':{'podSpecTemplatePaths':['/spec/template'],'bogus':true},
                                           'v1.Pod':{'podSpecTemplatePaths':['/spec']}},
                         'extra':1}"""),
                events, index("apps/v1.Deployment", "ns1/web", 42L), new PodLifecycles(lc));
    }

    private static List<Finding> of(ValidationReport r, String rule) {
        return r.findings().stream().filter(f -> f.rule().equals(rule)).toList();
    }

    private static Finding one(ValidationReport r, String rule) {
        List<Finding> f = of(r, rule);
        assertEquals(1, f.size(), () -> rule + " in " + r.lines());
        return f.get(0);
    }

    @Test
    void reportsEveryProblemWithWhereItIs() {
        ValidationReport r = Validator.validate(TestTraces.open("broken.sktrace", brokenTrace()));
        assertTrue(r.hasErrors());

        List<Finding> unknown = of(r, "config-unknown-key");
        assertEquals(2, unknown.size(), r.lines()::toString);
        assertTrue(unknown.stream().anyMatch(f -> f.isError() && f.message().contains("'bogus'")));
        assertTrue(unknown.stream().anyMatch(f -> !f.isError() && f.message().contains("'extra'")));
        assertTrue(one(r, "config-invalid").message().contains("v1.Pod"));

        Finding back = one(r, "ts-backwards");
        assertEquals(1, back.eventIndex());
        assertEquals(90L, back.ts());
        assertTrue(back.isError());

        Finding ns = of(r, "object-cluster-scoped").get(0);
        assertEquals("v1 Namespace ns1", ns.object());
        assertEquals(0, ns.eventIndex());
        assertTrue(ns.message().contains("skci replays only namespaced objects"));
        assertTrue(of(r, "object-cluster-scoped").stream().anyMatch(f -> f.object().contains("empty-ns")));

        List<Finding> missing = of(r, "object-missing-field");
        assertTrue(missing.stream().anyMatch(f -> f.eventIndex() == 0 && f.message().contains("no kind")), r.lines()::toString);
        assertTrue(missing.stream().anyMatch(f -> f.eventIndex() == 2 && f.message().contains("metadata.namespace")
                && f.object().equals("v1 ConfigMap nons")));

        Finding ghost = one(r, "deleted-never-applied");
        assertEquals("apps/v1 Deployment ns1/ghost", ghost.object());
        assertEquals(1, ghost.eventIndex());
        assertEquals(Finding.Severity.WARNING, ghost.severity());

        Finding stale = one(r, "index-stale-hash");
        assertTrue(stale.message().startsWith("1 of 2 applied objects"), stale.message());
        assertEquals(2, stale.eventIndex()); // the last applied version of ns1/web
        assertTrue(one(r, "index-missing-object").message().startsWith("1 of 2"));

        Finding status = one(r, "status-populated");
        assertTrue(status.message().startsWith("2 applied apps/v1.Deployment objects"), status.message());
        assertEquals(0, status.eventIndex());

        Finding sa = one(r, "missing-service-account");
        assertEquals("apps/v1 Deployment ns1/web", sa.object());
        assertTrue(sa.message().contains("ServiceAccount ns1/robot"), sa.message());
        List<Finding> secrets = of(r, "missing-secret");
        assertEquals(2, secrets.size(), r.lines()::toString); // db-secret and proj-secret; tls is optional
        assertTrue(secrets.get(0).message().contains("Secret ns1/db-secret"));
        assertTrue(secrets.get(1).message().contains("proj-secret"));
        Finding cm = one(r, "missing-configmap"); // settings is created in event 1; opt-cm optional; kube-root-ca.crt exists
        assertTrue(cm.message().contains("ConfigMap ns1/other-cm"), cm.message());

        assertTrue(one(r, "lifecycle-end-before-start").message().contains("Finished(130, 125)"));
        assertEquals("apps/v1 Deployment ns1/other", one(r, "lifecycle-owner-not-indexed").object());
        assertTrue(one(r, "lifecycle-empty").isError());
        assertTrue(one(r, "lifecycle-owner-invalid").isError());
    }

    @Test
    void linesNameFileEventTimeObjectAndRule() {
        ValidationReport r = Validator.validate(TestTraces.open("broken.sktrace", brokenTrace()));
        String line = r.lines().stream().filter(l -> l.contains("ts-backwards")).findFirst().orElseThrow();
        assertEquals("broken.sktrace: error ts-backwards: event 1 (ts 90, 1970-01-01T00:01:30Z): ts 90 "
                + "(1970-01-01T00:01:30Z) is 10s earlier than event 0's; events must be in time order", line);
        String ns = r.lines().stream().filter(l -> l.contains("Namespace")).findFirst().orElseThrow();
        assertTrue(ns.startsWith("broken.sktrace: error object-cluster-scoped: event 0 (ts 100, 1970-01-01T00:01:40Z) v1 Namespace ns1: "), ns);
        assertTrue(r.summary().startsWith("broken.sktrace: "), r.summary());
        assertTrue(r.summary().contains(" in 3 events (8 objects)"), r.summary());
    }

    @Test
    void freshIndexAndCompleteTraceGiveNoFindings() {
        KubeObject d = deployment("ns", "web", 2);
        Trace t = new Trace(config("{'trackedObjects':{'apps/v1.Deployment':{}}}"),
                List.of(event(10, List.of(d), List.of()), event(20, List.of(), List.of(d))),
                index("apps/v1.Deployment", "ns/web", JsonHash.hash(d.get("spec"))), PodLifecycles.empty());
        ValidationReport r = Validator.validate(TestTraces.open("ok.sktrace", t));
        assertEquals(List.of(), r.findings());
    }

    @Test
    void findingsStayOnOneLineWhateverTheNames() {
        KubeObject odd = obj("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'a\\nb\\u001b[31m'}}");
        Trace t = new Trace(config("{'trackedObjects':{}}"), List.of(event(1, List.of(odd), List.of())),
                dev.skci.trace.TraceIndex.empty(), PodLifecycles.empty());
        ValidationReport r = Validator.validate(TestTraces.open("odd\n.sktrace", t));
        assertEquals(1, r.lines().size());
        String line = r.lines().get(0);
        assertTrue(line.startsWith("odd\\n.sktrace: error object-cluster-scoped: event 0 (ts 1, 1970-01-01T00:00:01Z) v1 Namespace a\\nb\\u001b[31m: "), line);
        assertFalse(line.chars().anyMatch(c -> c < 0x20), line);
    }

    @Test
    void aRuleFiringOnEveryObjectIsCappedAndCounted() {
        List<KubeObject> objs = new ArrayList<>();
        for (int i = 0; i < Findings.MAX_PER_RULE + 500; i++) {
            objs.add(obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c" + i + "'}}"));
        }
        Trace t = new Trace(config("{'trackedObjects':{}}"), List.of(event(1, objs, List.of())),
                dev.skci.trace.TraceIndex.empty(), PodLifecycles.empty());
        ValidationReport r = Validator.validate(TestTraces.open("many.sktrace", t));
        assertEquals(Findings.MAX_PER_RULE, of(r, "object-missing-field").size());
        Finding more = one(r, "too-many-findings");
        assertTrue(more.isError());
        assertTrue(more.message().startsWith("500 more object-missing-field findings"), more.message());
    }
}
