package dev.skci.replay;

import dev.skci.cluster.SimNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins a pod's completion to an absolute time the moment the runner sees it Running. KWOK counts the
 * relative {@code complete-after} delay from the Running transition, but restarts that count whenever
 * the pod is updated again; {@code complete-at} (absolute, and preferred by skci's complete stage) is
 * immune to that. The webhook stays CREATE-only: this is an ordinary patch by the runner, after admission.
 */
public final class CompletionPinner implements Consumer<Pod> {
    private static final Logger log = LoggerFactory.getLogger(CompletionPinner.class);

    private final KubernetesClient client;
    private final Set<String> pinned = ConcurrentHashMap.newKeySet();

    public CompletionPinner(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public void accept(Pod pod) {
        Map<String, String> ann = pod.getMetadata().getAnnotations();
        if (ann == null || !ann.containsKey(SimNames.STAGE_COMPLETE_AFTER) || ann.containsKey(SimNames.STAGE_COMPLETE_AT)
                || pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())
                || pod.getMetadata().getDeletionTimestamp() != null || !pinned.add(pod.getMetadata().getUid())) {
            return;
        }
        Instant runningSince = Instant.now(); // watch latency is milliseconds; status.startTime has whole seconds
        Duration after;
        try {
            after = goDuration(ann.get(SimNames.STAGE_COMPLETE_AFTER));
        } catch (IllegalArgumentException e) {
            return; // not ours to interpret; KWOK will use it as is
        }
        String at = DateTimeFormatter.ISO_INSTANT.format(runningSince.plus(after));
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        Thread.ofVirtual().start(() -> {
            try {
                client.pods().inNamespace(ns).withName(name).edit(p -> {
                    p.getMetadata().getAnnotations().put(SimNames.STAGE_COMPLETE_AT, at);
                    return p;
                });
            } catch (KubernetesClientException e) {
                log.debug("could not pin completion of {}/{}: {}", ns, name, e.getMessage());
            }
        });
    }

    /** The subset of Go durations the webhook writes: {@code <n>ms}, {@code <n>s}. */
    static Duration goDuration(String s) {
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        if (s.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
        }
        throw new IllegalArgumentException("unsupported duration " + s);
    }
}
