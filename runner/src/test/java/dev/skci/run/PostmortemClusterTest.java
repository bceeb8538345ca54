package dev.skci.run;

import dev.skci.diagnostics.Diagnostics;

import dev.skci.result.SimulationResult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.wait.Deadline;
import dev.skci.TestData;
import dev.skci.cli.Cli;
import dev.skci.cluster.Cluster;
import dev.skci.readiness.GateResult;
import dev.skci.readiness.WebhookProbe;
import dev.skci.replay.ReplayPlan;
import dev.skci.testing.CertManagerControl;
import dev.skci.testing.ClusterTest;
import dev.skci.testing.OnKind;
import dev.skci.testing.Poll;
import dev.skci.trace.codec.TraceFile;
import dev.skci.webhook.AdmissionServer;
import dev.skci.webhook.WebhookRegistration;
import dev.skci.certs.CertManager;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The postmortem of SimKube's CI runner, reproduced with the real cert-manager cainjector, real KWOK and
 * a real control plane: every way it failed must now either wait, or fail closed with a clear reason.
 * The {@link OnKind} cases also run on a kind cluster in the kind stage.
 */
@ClusterTest
class PostmortemClusterTest {
    private CertManagerControl certManager;

    private CertManagerControl certManager(Cluster cluster) {
        certManager = CertManagerControl.of(cluster);
        return certManager;
    }

    @AfterEach
    void cainjectorBackUp() {
        if (certManager != null && !certManager.cainjectorRunning()) {
            certManager.startCainjector();
        }
    }

    static SimulationResult replay(Cluster cluster, Path trace, double speed, String prefix, SimulationRun.Hooks hooks)
            throws InterruptedException {
        TraceFile f = TraceFile.open(trace);
        SimulationRun.Options o = SimulationRun.Options.defaults().withSpeed(speed).withNamespacePrefix(prefix)
                .withReportDir(Path.of(System.getProperty("java.io.tmpdir"), "skci-test-reports"));
        return new SimulationRun(cluster, o, hooks).run(f, ReplayPlan.scan(f, Optional.empty()), Deadline.after(Duration.ofMinutes(10)));
    }

    static GateResult gate(SimulationResult r, String id) {
        return r.harness().gates().stream().filter(g -> g.id().equals(id)).findFirst().orElseThrow();
    }

    /** Case 1: the cainjector comes up 35 s into the run; the run waits at the caBundle gate and passes. */
    @Test
    @OnKind
    void lateCainjectorIsWaitedForAtTheCaBundleGate(Cluster cluster) throws Exception {
        certManager(cluster);
        cainjectorStartsLate(cluster, Duration.ofSeconds(35), "late");
    }

    static void cainjectorStartsLate(Cluster cluster, Duration delay, String prefix) throws Exception {
        CertManagerControl cm = CertManagerControl.of(cluster);
        cm.stopCainjector();
        Thread starter = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(delay.toMillis());
                cm.startCainjector();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            SimulationResult r = replay(cluster, TestData.sharedTrace("cronjob.sktrace"), 20, prefix, SimulationRun.Hooks.NONE);
            assertTrue(r.verdict().passed(), "reasons: " + r.verdict().reasons());
            GateResult caBundle = gate(r, "ca-bundle");
            assertTrue(caBundle.waited().compareTo(delay.minusSeconds(10)) >= 0, "waited at the caBundle gate: " + caBundle);
            assertTrue(r.pods().records().stream().allMatch(p -> p.node().startsWith(dev.skci.cluster.NodePool.VIRTUAL_NODE_PREFIX)),
                    "no pod on the decoy: " + r.pods().records());
            assertEquals(3, r.pods().records().size());
        } finally {
            starter.join();
        }
    }

    /** Case 2: the cainjector never starts; exit 3 within the gate's timeout, naming the cainjector and the caBundle. */
    @Test
    @OnKind
    void missingCainjectorFailsTheCaBundleGateWithExit3(Cluster cluster, @TempDir Path reports) throws Exception {
        certManager(cluster).stopCainjector();
        long t = System.nanoTime();
        // Local: as an existing cluster, since adopting it as 'local' would restart the stopped cainjector
        // (self-healing). kind: adopted by name, as a job on the machine image does; kind never restarts it.
        List<String> target = cluster.provider().equals("kind") ? List.of("--provider", "kind", "--name", cluster.name())
                : List.of("--kubeconfig", cluster.kubeconfig().toString());
        List<String> args = new java.util.ArrayList<>(List.of("run", TestData.sharedTrace("cronjob.sktrace").toString()));
        args.addAll(target);
        args.addAll(List.of("--namespace-prefix", "noinject", "--gate-timeout", "ca-bundle=15s", "--report-dir", reports.toString()));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        double took = (System.nanoTime() - t) / 1e9;
        assertEquals(3, r.exit(), r.toString());
        String last = r.errLines().get(r.errLines().size() - 1);
        assertTrue(last.startsWith("skci: readiness gate 'ca-bundle'"), last);
        assertTrue(last.contains("cainjector") && last.contains("caBundle"), last);
        assertTrue(took < 15 + 60, "gave up in " + took + " s");
        try (Stream<Path> s = Files.list(reports)) {
            Path bundle = s.filter(p -> p.toString().endsWith("-diagnostics.tar.gz")).findFirst().orElseThrow();
            List<String> entries = Diagnostics.entries(bundle);
            // The stopped cainjector's log is a file on the local provider; on kind its pod is gone, and the
            // logs come from the running components through the API.
            String log = cluster.provider().equals("kind") ? "logs/cert-manager-controller.log" : "logs/cert-manager-cainjector.log";
            for (String e : List.of("summary.txt", "gates.json", "webhook-configuration.yaml", "certificates.yaml", "events.yaml",
                    "pods.yaml", "nodes.yaml", "webhook-requests.json", log)) {
                assertTrue(entries.contains(e), e + " in " + entries);
            }
            assertTrue(r.err().contains("diagnostics written to " + bundle), r.err());
            String run = bundle.getFileName().toString().replace("-diagnostics.tar.gz", "");
            assertEquals(List.of(), Cleanup.verify(cluster.client(), run), "cleanup ran after the gate failed");
        }
    }

    /** Case 3: the webhook server dies mid-run: pods are refused (fail closed), the run fails saying so, cleanup completes. */
    @Test
    @OnKind
    void webhookServerDyingMidRunFailsClosed(Cluster cluster) throws Exception {
        SimulationRun.Hooks kill = new SimulationRun.Hooks() {
            @Override
            public void replayStarting(KubernetesClient client, String runName, AdmissionServer server) {
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(1500); // after the first pods, before the scale-up
                        server.close();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        };
        SimulationResult r = replay(cluster, TestData.projectTrace("deployment-scaling.sktrace"), 10, "dies", kill);
        assertFalse(r.verdict().passed());
        String reasons = String.join("\n", r.verdict().reasons());
        assertTrue(reasons.contains("webhook server stopped"), reasons);
        assertTrue(reasons.contains("controllers failed to create pods") && reasons.contains("failed calling webhook"), reasons);
        assertTrue(r.pods().records().stream().allMatch(p -> p.node() == null || p.node().startsWith(dev.skci.cluster.NodePool.VIRTUAL_NODE_PREFIX)),
                "nothing admitted unmutated: " + r.pods().records());
        assertTrue(r.harness().cleanup().complete(), "cleanup: " + r.harness().cleanup().leftovers());
        assertEquals(List.of(), Cleanup.verify(cluster.client(), r.runName()));
        assertTrue(r.harness().diagnostics().isPresent());
    }

    /** Case 4: a kubelet-style status update of a simulated pod never reaches the webhook: only CREATE is registered. */
    @Test
    @OnKind
    void statusUpdatesNeverReachTheWebhook(Cluster cluster) throws Exception {
        AtomicReference<List<String>> operations = new AtomicReference<>();
        AtomicInteger statusUpdates = new AtomicInteger();
        SimulationRun.Hooks hooks = new SimulationRun.Hooks() {
            @Override
            public void replayStarting(KubernetesClient client, String runName, AdmissionServer server) {
                operations.set(WebhookRegistration.operations(client.admissionRegistration().v1()
                        .mutatingWebhookConfigurations().withName(WebhookRegistration.name(runName)).get()));
                Thread.ofVirtual().start(() -> {
                    Pod p = Poll.until(Duration.ofSeconds(20), "a running simulated pod", () -> client.pods()
                            .inNamespace("status-testing").list().getItems().stream()
                            .filter(x -> "Running".equals(x.getStatus().getPhase())).findFirst().orElse(null));
                    // What a kubelet sends: a write to the pods/status subresource.
                    client.pods().inNamespace("status-testing").withName(p.getMetadata().getName()).editStatus(pod -> {
                        pod.getStatus().getConditions().add(new PodConditionBuilder().withType("skci.dev/KubeletStyle")
                                .withStatus("True").build());
                        return pod;
                    });
                    statusUpdates.incrementAndGet();
                });
            }
        };
        SimulationResult r = replay(cluster, TestData.projectTrace("bare-pods.sktrace"), 10, "status", hooks);
        assertTrue(r.verdict().passed(), "reasons: " + r.verdict().reasons());
        assertEquals(List.of("CREATE"), operations.get());
        assertEquals(1, statusUpdates.get());
        assertEquals(0, r.admission().requests().stream().filter(e -> !e.operation().equals("CREATE")).count(), "requests: " + r.admission().requests());
        assertTrue(r.admission().requests().stream().filter(e -> e.operation().equals("CREATE") && !e.dryRun()).count() >= 3);
    }

    /** cert-manager reissues the serving certificate mid-run: the server switches keys without a failed request. */
    @Test
    @OnKind
    void reissuedCertificateIsServedWithoutDroppingRequests(Cluster cluster) throws Exception {
        AtomicInteger probes = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        AtomicReference<BigInteger[]> serials = new AtomicReference<>();
        SimulationRun.Hooks reissue = new SimulationRun.Hooks() {
            @Override
            public void replayStarting(KubernetesClient client, String runName, AdmissionServer server) {
                BigInteger before = server.material().leaf().getSerialNumber();
                Thread.ofVirtual().start(() -> {
                    long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
                    while (System.nanoTime() < until) {
                        String problem = WebhookProbe.probe(client, "reissue-testing");
                        probes.incrementAndGet();
                        if (problem != null) {
                            failures.incrementAndGet();
                            firstFailure.compareAndSet(null, problem);
                        }
                    }
                });
                client.secrets().inNamespace(runName).withName(CertManager.SERVING_SECRET).delete();
                Poll.until(Duration.ofSeconds(30), "the reissued certificate to be served",
                        () -> !server.material().leaf().getSerialNumber().equals(before));
                serials.set(new BigInteger[] {before, server.material().leaf().getSerialNumber()});
            }
        };
        SimulationResult r = replay(cluster, TestData.projectTrace("bare-pods.sktrace"), 20, "reissue", reissue);
        assertTrue(r.verdict().passed(), "reasons: " + r.verdict().reasons());
        assertFalse(serials.get()[0].equals(serials.get()[1]));
        assertTrue(probes.get() > 10, "probed " + probes.get() + " times");
        assertEquals(0, failures.get(), "failed probes; first: " + firstFailure.get());
    }
}
