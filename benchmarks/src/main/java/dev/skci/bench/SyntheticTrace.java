package dev.skci.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.trace.KubeObject;
import dev.skci.trace.LifecycleOwner;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.PodLifecycles;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.TraceIndex;
import dev.skci.trace.TracerConfig;
import dev.skci.trace.codec.TraceWriter;
import dev.skci.trace.hash.JsonHash;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * A large, realistic trace for benchmarks: Deployments and the Pods a tracer watching bare pods would
 * record (labels, annotations, ownerReferences, containers with env, probes, resources and mounts,
 * tolerations, status), scaled and replaced over time. Written in one streaming pass with
 * {@link TraceWriter}, so generating it needs no more memory than reading it. Deterministic: the same
 * size gives the same bytes.
 */
final class SyntheticTrace {
    private SyntheticTrace() {}

    /** Bump when the generator changes, so cached files are regenerated. */
    static final int GENERATOR_VERSION = 2;
    static final int OBJECTS_PER_EVENT = 12;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2025-05-01T10:00:00Z",
            "prometheus.io/port":"9090","prometheus.io/scrape":"true"},"generateName":"web-7d9c8b5f4-","labels":{"app":"web",
            "pod-template-hash":"7d9c8b5f4","team":"payments","tier":"frontend"},"name":"web-7d9c8b5f4-abcde","namespace":"shop",
            "ownerReferences":[{"apiVersion":"apps/v1","blockOwnerDeletion":true,"controller":true,"kind":"ReplicaSet",
            "name":"web-7d9c8b5f4","uid":"3f1c6a2e-9b8d-4c1e-a2f3-5d6e7f8a9b0c"}]},"spec":{"affinity":{"podAntiAffinity":
            {"preferredDuringSchedulingIgnoredDuringExecution":[{"podAffinityTerm":{"labelSelector":{"matchLabels":{"app":"web"}},
            "topologyKey":"kubernetes.io/hostname"},"weight":100}]}},"containers":[{"env":[{"name":"LOG_LEVEL","value":"info"},
            {"name":"POD_NAME","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}},{"name":"DB_PASSWORD",
            "valueFrom":{"secretKeyRef":{"key":"password","name":"db-credentials"}}},{"name":"CACHE_RATIO","value":"0.75"}],
            "image":"registry.example.com/shop/web:1.42.7","imagePullPolicy":"IfNotPresent","livenessProbe":{"failureThreshold":3,
            "httpGet":{"path":"/healthz","port":8080,"scheme":"HTTP"},"initialDelaySeconds":10,"periodSeconds":10,"successThreshold":1,
            "timeoutSeconds":1},"name":"web","ports":[{"containerPort":8080,"name":"http","protocol":"TCP"},{"containerPort":9090,
            "name":"metrics","protocol":"TCP"}],"readinessProbe":{"failureThreshold":3,"httpGet":{"path":"/ready","port":8080,
            "scheme":"HTTP"},"periodSeconds":5,"successThreshold":1,"timeoutSeconds":1},"resources":{"limits":{"cpu":"1",
            "memory":"512Mi"},"requests":{"cpu":"250m","memory":"256Mi"}},"terminationMessagePath":"/dev/termination-log",
            "terminationMessagePolicy":"File","volumeMounts":[{"mountPath":"/etc/web","name":"config","readOnly":true},
            {"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","name":"kube-api-access-x7k2p","readOnly":true}]}],
            "dnsPolicy":"ClusterFirst","enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority","priority":0,
            "restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{"fsGroup":2000,"runAsNonRoot":true},
            "serviceAccount":"web","serviceAccountName":"web","terminationGracePeriodSeconds":30,"tolerations":[{"effect":"NoExecute",
            "key":"node.kubernetes.io/not-ready","operator":"Exists","tolerationSeconds":300},{"effect":"NoExecute",
            "key":"node.kubernetes.io/unreachable","operator":"Exists","tolerationSeconds":300}],"volumes":[{"configMap":
            {"defaultMode":420,"name":"web-config"},"name":"config"},{"name":"kube-api-access-x7k2p","projected":{"defaultMode":420,
            "sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},{"configMap":{"items":[{"key":"ca.crt",
            "path":"ca.crt"}],"name":"kube-root-ca.crt"}},{"downwardAPI":{"items":[{"fieldRef":{"apiVersion":"v1",
            "fieldPath":"metadata.namespace"},"path":"namespace"}]}}]}}]},"status":{"conditions":[{"lastProbeTime":null,
            "lastTransitionTime":"2025-05-01T10:00:03Z","status":"True","type":"Initialized"},{"lastProbeTime":null,
            "lastTransitionTime":"2025-05-01T10:00:09Z","status":"True","type":"Ready"},{"lastProbeTime":null,
            "lastTransitionTime":"2025-05-01T10:00:09Z","status":"True","type":"ContainersReady"},{"lastProbeTime":null,
            "lastTransitionTime":"2025-05-01T10:00:01Z","status":"True","type":"PodScheduled"}],"containerStatuses":[{"containerID":
            "containerd://4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d","image":"registry.example.com/shop/web:1.42.7",
            "imageID":"registry.example.com/shop/web@sha256:9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0",
            "lastState":{},"name":"web","ready":true,"restartCount":0,"started":true,"state":{"running":{"startedAt":
            "2025-05-01T10:00:04Z"}}}],"hostIP":"10.0.3.17","phase":"Running","podIP":"10.244.3.52","podIPs":[{"ip":"10.244.3.52"}],
            "qosClass":"Burstable","startTime":"2025-05-01T10:00:01Z"}}""";

    private static final String DEPLOYMENT = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{"meta.helm.sh/release-name":"web",
            "meta.helm.sh/release-namespace":"shop"},"labels":{"app":"web","app.kubernetes.io/managed-by":"Helm","team":"payments"},
            "name":"web","namespace":"shop"},"spec":{"progressDeadlineSeconds":600,"replicas":3,"revisionHistoryLimit":10,
            "selector":{"matchLabels":{"app":"web"}},"strategy":{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"},
            "type":"RollingUpdate"},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web","team":"payments"}},
            "spec":{"containers":[{"image":"registry.example.com/shop/web:1.42.7","imagePullPolicy":"IfNotPresent","name":"web",
            "ports":[{"containerPort":8080,"name":"http","protocol":"TCP"}],"resources":{"limits":{"cpu":"1","memory":"512Mi"},
            "requests":{"cpu":"250m","memory":"256Mi"}},"terminationMessagePath":"/dev/termination-log",
            "terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler",
            "securityContext":{},"terminationGracePeriodSeconds":30}}}}""";

    /** Writes (or reuses) a synthetic trace of at least {@code minBytes} under {@code dir}; returns its path. */
    static Path ensure(Path dir, long minBytes) throws IOException {
        long mb = (minBytes + (1 << 20) - 1) >> 20;
        Path file = dir.resolve("synthetic-v" + GENERATOR_VERSION + "-" + mb + "mb.sktrace");
        if (Files.isRegularFile(file) && Files.size(file) >= minBytes) {
            return file;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "synthetic", ".tmp");
        long t0 = System.nanoTime();
        // A sample of 500 events tells how big an event is on average; add 2 % so the file comes out at
        // least minBytes (the index and lifecycles at the end add a little more).
        Generator sample = new Generator(500);
        List<TraceEvent> events500 = new ArrayList<>();
        while (sample.hasNext()) {
            events500.add(sample.next());
        }
        long sampleBytes = TraceWriter.toBytes(new dev.skci.trace.Trace(TracerConfig.empty(), events500,
                TraceIndex.empty(), PodLifecycles.empty())).length;
        int events = (int) (minBytes * 102 / 100 * 500 / sampleBytes) + 1;
        Generator g = new Generator(events);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            TraceWriter.write(out, config(), events, g, g::index, g::lifecycles);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("generated %s: %d events, %,d bytes in %.1f s%n", file, events, Files.size(file),
                (System.nanoTime() - t0) / 1e9);
        return file;
    }

    private static TracerConfig config() {
        ObjectNode c = JSON.createObjectNode();
        ObjectNode t = c.putObject("trackedObjects");
        t.putObject("apps/v1.Deployment").putArray("podSpecTemplatePaths").add("/spec/template");
        ObjectNode pod = t.putObject("v1.Pod");
        pod.putArray("podSpecTemplatePaths").add("");
        pod.put("trackLifecycle", true);
        return new TracerConfig(c);
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Produces the events one at a time and remembers what the index and lifecycles need. */
    private static final class Generator implements Iterator<TraceEvent> {
        private final ObjectNode pod = parse(POD);
        private final ObjectNode deployment = parse(DEPLOYMENT);
        private final Random rnd = new Random(20250601);
        private final int count;
        private final Map<String, Map<String, Long>> index = new LinkedHashMap<>();
        private final Map<LifecycleOwner, Map<Long, List<PodLifecycle>>> lifecycles = new LinkedHashMap<>();
        private final List<String> live = new ArrayList<>();
        private int produced;
        private long ts = 1_746_093_600L; // 2025-05-01T10:00:00Z

        Generator(int count) {
            this.count = count;
        }

        @Override
        public boolean hasNext() {
            return produced < count;
        }

        @Override
        public TraceEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            produced++;
            ts += 1 + rnd.nextInt(3);
            List<KubeObject> applied = new ArrayList<>();
            List<KubeObject> deleted = new ArrayList<>();
            for (int i = 0; i < OBJECTS_PER_EVENT; i++) {
                int r = rnd.nextInt(100);
                if (r < 8) {
                    applied.add(deployment(rnd.nextInt(400)));
                } else if (r < 20 && !live.isEmpty()) {
                    String gone = live.remove(rnd.nextInt(live.size()));
                    deleted.add(stub(gone));
                } else {
                    applied.add(pod());
                }
            }
            return new TraceEvent(ts, applied, deleted);
        }

        private KubeObject deployment(int n) {
            ObjectNode d = deployment.deepCopy();
            String name = "svc-" + n;
            ((ObjectNode) d.get("metadata")).put("name", name).put("namespace", "ns-" + (n % 40));
            ObjectNode spec = (ObjectNode) d.get("spec");
            spec.put("replicas", 1 + rnd.nextInt(30));
            ObjectNode labels = (ObjectNode) spec.get("template").get("metadata").get("labels");
            labels.put("app", name);
            ((ObjectNode) spec.get("selector").get("matchLabels")).put("app", name);
            remember("apps/v1.Deployment", "ns-" + (n % 40) + "/" + name, spec);
            return new KubeObject(d);
        }

        private KubeObject pod() {
            ObjectNode p = pod.deepCopy();
            int app = rnd.nextInt(400);
            String ns = "ns-" + (app % 40);
            String name = "svc-" + app + "-" + Long.toString(rnd.nextLong() & 0xffffffffffL, 36);
            ObjectNode meta = (ObjectNode) p.get("metadata");
            meta.put("name", name).put("namespace", ns).put("generateName", "svc-" + app + "-");
            ((ObjectNode) meta.get("labels")).put("app", "svc-" + app).put("pod-template-hash", Integer.toHexString(rnd.nextInt()));
            ((ObjectNode) meta.get("ownerReferences").get(0)).put("name", "svc-" + app + "-rs")
                    .put("uid", new java.util.UUID(rnd.nextLong(), rnd.nextLong()).toString());
            ObjectNode spec = (ObjectNode) p.get("spec");
            ObjectNode c = (ObjectNode) spec.get("containers").get(0);
            c.put("image", "registry.example.com/" + ns + "/svc-" + app + ":1." + rnd.nextInt(60) + "." + rnd.nextInt(10));
            ((ObjectNode) ((ArrayNode) c.get("env")).get(3)).put("value", Double.toString(rnd.nextInt(100) / 100.0));
            ((ObjectNode) c.get("resources").get("requests")).put("cpu", (50 + rnd.nextInt(20) * 50) + "m");
            spec.put("nodeName", "node-" + rnd.nextInt(500));
            ObjectNode status = (ObjectNode) p.get("status");
            status.put("podIP", "10.244." + rnd.nextInt(256) + "." + rnd.nextInt(256));
            status.put("cpuRatio", rnd.nextInt(1000) / 8.0); // a float, as some CRD-like fields carry
            String key = ns + "/" + name;
            remember("v1.Pod", key, spec);
            live.add(key);
            if (rnd.nextInt(4) == 0) {
                long start = ts + rnd.nextInt(5);
                PodLifecycle l = rnd.nextBoolean() ? new PodLifecycle.Running(start)
                        : new PodLifecycle.Finished(start, start + 5 + rnd.nextInt(600));
                lifecycles.put(new LifecycleOwner("v1.Pod", key), Map.of(JsonHash.hash(spec), List.of(l)));
            }
            return new KubeObject(p);
        }

        private KubeObject stub(String nsName) {
            ObjectNode s = JSON.createObjectNode();
            s.put("apiVersion", "v1").put("kind", "Pod");
            int slash = nsName.indexOf('/');
            s.putObject("metadata").put("name", nsName.substring(slash + 1)).put("namespace", nsName.substring(0, slash));
            return new KubeObject(s);
        }

        private void remember(String gvk, String nsName, ObjectNode spec) {
            index.computeIfAbsent(gvk, k -> new LinkedHashMap<>()).put(nsName, JsonHash.hash(spec));
        }

        TraceIndex index() {
            return new TraceIndex(index);
        }

        PodLifecycles lifecycles() {
            return new PodLifecycles(lifecycles);
        }
    }
}
