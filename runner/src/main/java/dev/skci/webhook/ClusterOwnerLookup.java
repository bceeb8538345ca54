package dev.skci.webhook;

import dev.skci.trace.Gvk;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * Owner lookups for the webhook. ReplicaSets and Jobs (what controllers create between a replayed object
 * and its pods) come from informer caches of the run's namespaces; anything else, or a cache miss (the
 * pod's creator can be faster than our watch), is one GET by name. Never a LIST, never a global lock:
 * SimKube's synchronous LISTs under one mutex serialise every admission.
 */
public final class ClusterOwnerLookup implements OwnerLookup, AutoCloseable {
    private static final Gvk REPLICA_SET = new Gvk("apps", "v1", "ReplicaSet");
    private static final Gvk JOB = new Gvk("batch", "v1", "Job");

    private final KubernetesClient client;
    private final Map<String, SharedIndexInformer<? extends HasMetadata>> informers = new ConcurrentHashMap<>();

    public ClusterOwnerLookup(KubernetesClient client, List<String> namespaces) {
        this.client = client;
        for (String ns : namespaces) {
            informers.put(key(ns, REPLICA_SET), client.apps().replicaSets().inNamespace(ns).runnableInformer(0));
            informers.put(key(ns, JOB), client.batch().v1().jobs().inNamespace(ns).runnableInformer(0));
        }
    }

    /** Starts the informers and waits (bounded) until their caches are filled. */
    public void start(Duration timeout) throws InterruptedException {
        CompletableFuture<?>[] synced = informers.values().stream()
                .map(i -> i.start().toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(synced).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // A cold cache only costs GETs; lookups still work.
        }
    }

    private static String key(String ns, Gvk gvk) {
        return ns + "|" + gvk;
    }

    @Override
    public Optional<List<OwnerRef>> ownersOf(String namespace, Gvk gvk, String name) {
        SharedIndexInformer<? extends HasMetadata> informer = informers.get(key(namespace, gvk));
        if (informer != null) {
            HasMetadata cached = informer.getStore().getByKey(namespace + "/" + name);
            if (cached != null) {
                return Optional.of(refs(cached.getMetadata().getOwnerReferences()));
            }
        }
        try {
            var obj = client.genericKubernetesResources(gvk.apiVersion(), gvk.kind()).inNamespace(namespace).withName(name).get();
            return obj == null ? Optional.empty() : Optional.of(refs(obj.getMetadata().getOwnerReferences()));
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }

    private static List<OwnerRef> refs(List<OwnerReference> refs) {
        List<OwnerRef> out = new ArrayList<>();
        if (refs != null) {
            for (OwnerReference r : refs) {
                out.add(new OwnerRef(Gvk.of(r.getApiVersion(), r.getKind()), r.getName(), Boolean.TRUE.equals(r.getController())));
            }
        }
        return out;
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::stop);
    }
}
