package dev.skci.webhook;

import dev.skci.trace.Gvk;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * Owner lookups for the webhook, by the owner reference's UID, never by name alone: a name can belong
 * to a newer object than the one that created the pod (a Deployment the trace deleted and applied
 * again makes a ReplicaSet of the same name). ReplicaSets and Jobs (what controllers create between a
 * replayed object and its pods) come from informer caches of the run's namespaces. A pod's creator is
 * often faster than our watch, so a miss waits (bounded) for the cache, then asks the API server by
 * name and compares the UID. An owner that is not there under that UID is gone (deleted: its pods are
 * garbage-collected anyway); the caches remember the owners of what they saw deleted, so the walk can
 * still name whose it was. Never a LIST, never a global lock: SimKube's synchronous LISTs under one
 * mutex serialise every admission.
 */
public final class ClusterOwnerLookup implements OwnerLookup, AutoCloseable {
    private static final Gvk REPLICA_SET = new Gvk("apps", "v1", "ReplicaSet");
    private static final Gvk JOB = new Gvk("batch", "v1", "Job");
    /** How long a lookup waits for the cache to catch up with the API server before asking it. */
    static final Duration CACHE_WAIT = Duration.ofSeconds(1);
    /**
     * How long a whole lookup may take: the API server gives the webhook 5 s to answer
     * ({@code WebhookRegistration}), and an answer that comes too late fails the pod's creation.
     */
    static final Duration LOOKUP_BUDGET = Duration.ofMillis(3500);
    /** One GET's timeout, so that a slow API server cannot take the lookup past its budget. */
    private static final int GET_TIMEOUT_MILLIS = 2000;
    private static final int TOMBSTONES = 10_000;

    private final KubernetesClient client;
    /** For GETs: the run's client with a short timeout and no retries of its own. */
    private final KubernetesClient getter;
    private final Map<String, SharedIndexInformer<? extends HasMetadata>> informers = new ConcurrentHashMap<>();
    /** UID to the owner references of cached objects that were deleted (most recent {@value #TOMBSTONES}). */
    private final Map<String, List<OwnerRef>> deleted = java.util.Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<OwnerRef>> eldest) {
            return size() > TOMBSTONES;
        }
    });

    public ClusterOwnerLookup(KubernetesClient client, List<String> namespaces) {
        this.client = client;
        this.getter = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration()).withRequestTimeout(GET_TIMEOUT_MILLIS)
                        .withRequestRetryBackoffLimit(0).build()).build();
        for (String ns : namespaces) {
            add(key(ns, REPLICA_SET), client.apps().replicaSets().inNamespace(ns).runnableInformer(0));
            add(key(ns, JOB), client.batch().v1().jobs().inNamespace(ns).runnableInformer(0));
        }
    }

    private <T extends HasMetadata> void add(String key, SharedIndexInformer<T> informer) {
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {}

            @Override
            public void onUpdate(T oldObj, T newObj) {}

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                if (obj.getMetadata().getUid() != null) {
                    deleted.put(obj.getMetadata().getUid(), refs(obj.getMetadata().getOwnerReferences()));
                }
            }
        });
        informers.put(key, informer);
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
    public Result find(String namespace, OwnerRef ref) {
        long deadline = System.nanoTime() + LOOKUP_BUDGET.toNanos();
        SharedIndexInformer<? extends HasMetadata> informer = informers.get(key(namespace, ref.gvk()));
        if (informer != null) {
            long until = System.nanoTime() + CACHE_WAIT.toNanos();
            while (true) {
                Result cached = fromCache(informer, namespace, ref);
                if (cached != null) {
                    return cached;
                }
                if (System.nanoTime() - until >= 0) {
                    break;
                }
                if (!pause(20)) {
                    return new Unknown("interrupted");
                }
            }
        }
        return fromApiServer(namespace, ref, deadline);
    }

    @Override
    public Result cached(String namespace, OwnerRef ref) {
        SharedIndexInformer<? extends HasMetadata> informer = informers.get(key(namespace, ref.gvk()));
        return informer == null ? null : fromCache(informer, namespace, ref);
    }

    /** The cached object if it is the one referenced, a tombstone if the cache saw it deleted, else null. */
    private Result fromCache(SharedIndexInformer<? extends HasMetadata> informer, String namespace, OwnerRef ref) {
        HasMetadata cached = informer.getStore().getByKey(namespace + "/" + ref.name());
        if (cached != null && (ref.uid() == null || ref.uid().equals(cached.getMetadata().getUid()))) {
            return new Found(refs(cached.getMetadata().getOwnerReferences()));
        }
        List<OwnerRef> tombstone = ref.uid() == null ? null : deleted.get(ref.uid());
        if (tombstone != null) {
            return new Gone(describe(namespace, ref) + " was deleted" + ownedBy(tombstone));
        }
        return null;
    }

    private Result fromApiServer(String namespace, OwnerRef ref, long deadline) {
        while (true) {
            try {
                var obj = getter.genericKubernetesResources(ref.gvk().apiVersion(), ref.gvk().kind()).inNamespace(namespace)
                        .withName(ref.name()).get();
                if (obj == null) {
                    return new Gone(describe(namespace, ref) + " was not found: it was deleted");
                }
                if (ref.uid() != null && !ref.uid().equals(obj.getMetadata().getUid())) {
                    return new Gone(describe(namespace, ref) + " was deleted (a newer object of that name exists)");
                }
                return new Found(refs(obj.getMetadata().getOwnerReferences()));
            } catch (KubernetesClientException e) {
                // Another GET only if it can finish within the budget.
                if (deadline - System.nanoTime() < (GET_TIMEOUT_MILLIS + 200) * 1_000_000L || !pause(200)) {
                    return new Unknown("looking up " + describe(namespace, ref) + " failed: " + dev.skci.Failures.rootMessage(e));
                }
            }
        }
    }

    private static String describe(String namespace, OwnerRef ref) {
        return ref.gvk() + " " + namespace + "/" + ref.name();
    }

    private static String ownedBy(List<OwnerRef> owners) {
        return owners.stream().filter(OwnerRef::controller).findFirst()
                .map(o -> " (with its owner " + o.gvk().kind() + " " + o.name() + ")").orElse("");
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<OwnerRef> refs(List<OwnerReference> refs) {
        List<OwnerRef> out = new ArrayList<>();
        if (refs != null) {
            for (OwnerReference r : refs) {
                out.add(new OwnerRef(Gvk.of(r.getApiVersion(), r.getKind()), r.getName(), r.getUid(), Boolean.TRUE.equals(r.getController())));
            }
        }
        return out;
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::stop);
        getter.close();
    }
}
