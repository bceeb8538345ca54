package dev.skci.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.testing.ClusterTest;
import dev.skci.testing.Poll;
import dev.skci.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Shows that the local cluster is a real one: controllers, scheduler, KWOK stages, garbage collection. */
@ClusterTest
class LocalClusterRealTest {

    @Test
    void garbageCollectorRemovesOwnedObjects(KubernetesClient client) {
        ConfigMap owner = client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("owner").endMetadata()
                .addToData("k", "v").build()).create();
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("dependent")
                .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("owner")
                .withUid(owner.getMetadata().getUid()).endOwnerReference()
                .endMetadata().build()).create();
        assertNotNull(client.configMaps().withName("dependent").get());

        client.configMaps().withName("owner").delete();

        Poll.until(Duration.ofSeconds(30), "the garbage collector to delete the dependent",
                () -> client.configMaps().withName("dependent").get() == null);
    }

    @Test
    void schedulerBindsToAVirtualNodeAndKwokRunsThePod(KubernetesClient client) {
        client.pods().resource(virtualPod("runner", Map.of())).create();

        Pod p = Poll.until(Duration.ofSeconds(30), "the pod to run", () -> {
            Pod current = client.pods().withName("runner").get();
            return "Running".equals(current.getStatus().getPhase()) ? current : null;
        });
        assertTrue(p.getSpec().getNodeName().startsWith(NodePool.VIRTUAL_NODE_PREFIX), p.getSpec().getNodeName());
        assertNotNull(p.getStatus().getPodIP());
        assertNotNull(p.getStatus().getStartTime());
        assertTrue(p.getStatus().getContainerStatuses().getFirst().getReady());
    }

    @Test
    void aPodWithoutTheVirtualSelectorLandsVisiblyOnTheDecoy(KubernetesClient client) {
        client.pods().resource(new PodBuilder().withNewMetadata().withName("escaped").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build()).create();

        Pod p = Poll.until(Duration.ofSeconds(30), "the pod to be scheduled", () -> {
            Pod current = client.pods().withName("escaped").get();
            return current.getSpec().getNodeName() != null ? current : null;
        });
        assertEquals(NodePool.DECOY_NODE_NAME, p.getSpec().getNodeName());
    }

    /**
     * The property the runner relies on (docs/design.md, "Principles"): a Go duration in complete-after counts from the
     * moment the pod turned Running, not from creation and not as an absolute time.
     */
    @Test
    void completionCountsFromRunning(KubernetesClient client) throws Exception {
        Map<String, Instant> running = new ConcurrentHashMap<>();
        Map<String, Instant> succeeded = new ConcurrentHashMap<>();
        Set<String> creating = ConcurrentHashMap.newKeySet(); // seen Pending with an IP: ContainerCreating
        try (Watch w = client.pods().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
                if ("Pending".equals(phase) && pod.getStatus().getPodIP() != null) {
                    creating.add(pod.getMetadata().getName());
                }
                if ("Running".equals(phase)) {
                    running.putIfAbsent(pod.getMetadata().getName(), Instant.now());
                } else if ("Succeeded".equals(phase)) {
                    succeeded.putIfAbsent(pod.getMetadata().getName(), Instant.now());
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        })) {
            // A ready delay makes "Running" clearly later than creation, so counting from creation would show.
            client.pods().resource(virtualPod("finite", Map.of(
                    SimNames.STAGE_READY_DELAY, "2s",
                    SimNames.STAGE_COMPLETE_AFTER, "3s"))).create();
            client.pods().resource(virtualPod("endless", Map.of())).create();

            Poll.until(Duration.ofSeconds(30), "the annotated pod to succeed", () -> succeeded.containsKey("finite"));
            Pod finite = client.pods().withName("finite").get();
            Duration observed = Duration.between(running.get("finite"), succeeded.get("finite"));
            assertTrue(observed.toMillis() >= 2_500 && observed.toMillis() <= 5_000,
                    "Running -> Succeeded took " + observed.toMillis() + " ms as seen by a watch, expected about 3000");

            // The API server keeps whole seconds; startTime is when it turned Running.
            Instant start = Instant.parse(finite.getStatus().getStartTime());
            Instant finished = Instant.parse(finite.getStatus().getContainerStatuses().getFirst().getState().getTerminated().getFinishedAt());
            long seconds = Duration.between(start, finished).toSeconds();
            assertTrue(seconds >= 2 && seconds <= 5, "startTime -> finishedAt was " + seconds + " s, expected about 3");
            Instant created = Instant.parse(finite.getMetadata().getCreationTimestamp());
            assertTrue(Duration.between(created, finished).toSeconds() >= 4, "the ready delay must come before the 3 s run");
            System.err.printf("[skci tests] complete-after 3s: Running->Succeeded %d ms (watch), startTime->finishedAt %d s%n",
                    observed.toMillis(), seconds);
            var terminated = finite.getStatus().getContainerStatuses().getFirst().getState().getTerminated();
            assertEquals(0, terminated.getExitCode());
            assertEquals("Completed", terminated.getReason());

            // The pod without the annotation keeps running.
            Thread.sleep(1_000);
            assertEquals("Running", client.pods().withName("endless").get().getStatus().getPhase());
            assertNull(succeeded.get("endless"));
            // Without a start-up delay a pod gets its IP and turns Running in one status write (skci-pod-start);
            // with one it shows ContainerCreating first (skci-pod-create, then skci-pod-ready).
            Pod endless = client.pods().withName("endless").get();
            assertNotNull(endless.getStatus().getPodIP(), "skci-pod-start gives the pod an IP");
            assertNotNull(endless.getStatus().getHostIP());
            assertTrue(endless.getStatus().getContainerStatuses().getFirst().getReady());
            assertFalse(creating.contains("endless"), "an undelayed pod goes straight to Running");
            assertTrue(creating.contains("finite"), "a pod with a ready delay shows ContainerCreating first");
        }
    }

    @Test
    void deletingARunningPodWithAFinalizerRemovesIt(KubernetesClient client) {
        Pod pod = virtualPod("finalized", Map.of());
        pod.getMetadata().setFinalizers(List.of("skci.dev/test-finalizer"));
        client.pods().resource(pod).create();
        Poll.until(Duration.ofSeconds(30), "the pod to run",
                () -> "Running".equals(client.pods().withName("finalized").get().getStatus().getPhase()));

        client.pods().withName("finalized").delete();

        Poll.until(Duration.ofSeconds(30), "skci-pod-delete to clear the finalizer and delete the pod",
                () -> client.pods().withName("finalized").get() == null);
    }

    /** The CronJob controller fires on wall-clock minutes, so this waits for the next minute (up to ~70 s). */
    @Test
    void cronJobCreatesJobsAndPodsThatComplete(KubernetesClient client, TestNamespace ns) {
        client.batch().v1().cronjobs().resource(new CronJobBuilder()
                .withNewMetadata().withName("tick").endMetadata()
                .withNewSpec()
                    .withSchedule("* * * * *")
                    .withNewJobTemplate().withNewSpec().withBackoffLimit(0)
                        .withNewTemplate()
                            .withNewMetadata().addToAnnotations(SimNames.STAGE_COMPLETE_AFTER, "1s").endMetadata()
                            .withSpec(virtualPod("unused", Map.of()).getSpec())
                        .endTemplate()
                    .endSpec().endJobTemplate()
                .endSpec().build()).create();

        Job job = Poll.until(Duration.ofSeconds(75), "the CronJob controller to create a Job", () -> {
            List<Job> jobs = client.batch().v1().jobs().list().getItems();
            return jobs.isEmpty() ? null : jobs.getFirst();
        });
        assertEquals("CronJob", job.getMetadata().getOwnerReferences().getFirst().getKind());
        Pod pod = Poll.until(Duration.ofSeconds(30), "the Job controller to create a pod", () -> {
            List<Pod> pods = client.pods().withLabel("job-name", job.getMetadata().getName()).list().getItems();
            return pods.isEmpty() ? null : pods.getFirst();
        });
        assertEquals("Job", pod.getMetadata().getOwnerReferences().getFirst().getKind());
        Poll.until(Duration.ofSeconds(30), "the Job to complete after its pod succeeded", () -> {
            Job j = client.batch().v1().jobs().withName(job.getMetadata().getName()).get();
            return j.getStatus() != null && j.getStatus().getSucceeded() != null && j.getStatus().getSucceeded() == 1;
        });
        assertEquals(ns.name(), pod.getMetadata().getNamespace());
    }

    static Pod virtualPod(String name, Map<String, String> annotations) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                    .withRestartPolicy("Never")
                    .addToNodeSelector(SimNames.LABEL_NODE_TYPE, SimNames.NODE_TYPE_VIRTUAL)
                    .addNewToleration().withKey(SimNames.TAINT_KWOK_PROVIDER).withOperator("Exists").withEffect("NoSchedule").endToleration()
                    .addNewContainer().withName("main").withImage("busybox").endContainer()
                .endSpec()
                .build();
    }
}
