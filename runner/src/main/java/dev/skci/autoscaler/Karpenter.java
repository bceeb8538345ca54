package dev.skci.autoscaler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.SkciException;
import dev.skci.cluster.Cluster;
import dev.skci.cluster.HostComponents;
import dev.skci.wait.Wait;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Karpenter's KWOK provider beside one simulation: a host process against the cluster's kubeconfig, leader election off
 * (a single replica has nobody to wait for; docs/design.md), its log with the cluster's other component logs. A
 * simulation {@link #start}s it on a clean slate and {@link #stop}s it again, which also removes everything Karpenter
 * made, so simulations never see each other's nodes.
 */
public final class Karpenter {
    /** The component's name: its log is {@code karpenter.log}. */
    public static final String COMPONENT = "karpenter";
    static final String NODEPOOL_LABEL = "karpenter.sh/nodepool";
    static final String PROVIDER_PREFIX = "kwok://";

    private final KubernetesClient client;
    private final HostComponents host;
    private final KarpenterPlan plan;
    private final int healthPort;
    private final Process process;
    private final KarpenterWatch watch;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private Karpenter(KubernetesClient client, HostComponents host, KarpenterPlan plan, int healthPort, Process process,
            KarpenterWatch watch) {
        this.client = client;
        this.host = host;
        this.plan = plan;
        this.healthPort = healthPort;
        this.process = process;
        this.watch = watch;
    }

    /** Why {@code cluster} cannot run Karpenter, for the one-line error; checked up front by the CLI too. */
    public static HostComponents hostOf(Cluster cluster) {
        return cluster.hostComponents().orElseThrow(() -> SkciException.invalidInput("cluster.autoscaler.karpenter needs a cluster "
                + "skci runs itself (--provider local): Karpenter runs beside it as a host process and creates its nodes, which "
                + "the " + cluster.provider() + " provider's cluster is not skci's to do"));
    }

    /**
     * Removes what an earlier run of Karpenter left (a crashed run, a kept cluster), installs the CRDs, applies the
     * plan's node classes and NodePools and starts the controller; returns without waiting for it to be ready
     * ({@link #ready} says, for the readiness gate).
     */
    public static Karpenter start(Cluster cluster, KarpenterBinaries bins, KarpenterSpec spec, KarpenterPlan plan, Duration timeout) {
        HostComponents host = hostOf(cluster);
        bins.require();
        KubernetesClient client = cluster.client();
        host.stop(COMPONENT);
        installCrds(client, bins.crds(), timeout);
        reset(client, timeout);
        for (ObjectNode c : plan.nodeClasses()) {
            apply(client, c, spec);
        }
        for (ObjectNode p : plan.nodePools()) {
            apply(client, p, spec);
        }
        int healthPort = host.freePort();
        // Karpenter's log goes straight to the cluster's log directory (stdout and stderr, where a Go panic would go, are
        // appended there too); naming that file also puts the cluster's directory into the command line, by which the
        // cluster's teardown recognises the process.
        List<String> argv = new ArrayList<>(List.of(bins.controller().toString(),
                "--disable-leader-election=true",
                "--health-probe-port=" + healthPort,
                "--metrics-port=" + host.freePort(),
                "--log-level=info",
                "--log-output-paths=" + host.log(COMPONENT),
                "--log-error-output-paths=" + host.log(COMPONENT)));
        argv.addAll(plan.batchFlags());
        if (spec.instanceTypes().isPresent()) {
            Path types = host.dir(COMPONENT).resolve("instance-types.json");
            copy(spec.instanceTypes().get(), types);
            argv.add("--instance-types-file-path=" + types);
        }
        KarpenterWatch watch = new KarpenterWatch(client);
        watch.start();
        Process p;
        try {
            p = host.start(COMPONENT, argv, Map.of("KUBECONFIG", cluster.kubeconfig().toString()));
        } catch (RuntimeException e) {
            watch.close();
            throw e;
        }
        return new Karpenter(client, host, plan, healthPort, p, watch);
    }

    public KarpenterPlan plan() {
        return plan;
    }

    /** Null when the controller answers {@code /readyz} (its caches are synced, its CRDs served); else what is missing. */
    public String ready() {
        if (!process.isAlive()) {
            throw SkciException.environment("Karpenter exited with status " + process.exitValue() + ": " + lastLine()
                    + " (log: " + host.log(COMPONENT) + ")");
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/readyz"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? null : "Karpenter's /readyz answers " + r.statusCode() + ": " + r.body().strip();
        } catch (IOException e) {
            return "Karpenter's health endpoint (127.0.0.1:" + healthPort + ") does not answer yet";
        } catch (InterruptedException e) {
            throw SkciException.interrupted("asking Karpenter whether it is ready", e);
        }
    }

    /** Null when every NodePool of the plan has its Ready condition True; else which are not, and why. */
    public String nodePoolsReady() {
        List<String> notReady = new ArrayList<>();
        for (ObjectNode p : plan.nodePools()) {
            String name = p.path("metadata").path("name").asText();
            GenericKubernetesResource live = client.genericKubernetesResources(KarpenterObjects.NODE_POOLS).withName(name).get();
            Optional<Map<String, Object>> ready = live == null ? Optional.empty() : KarpenterObjects.condition(live, "Ready");
            if (ready.isEmpty() || !"True".equals(ready.get().get("status"))) {
                notReady.add(name + ready.map(c -> " (" + c.get("reason") + ": " + c.get("message") + ")").orElse(""));
            }
        }
        return notReady.isEmpty() ? null : "NodePool(s) not Ready: " + String.join(", ", notReady);
    }

    public Path log() {
        return host.log(COMPONENT);
    }

    /** Why Karpenter did not give pods a node, from its NodePools' status and its events (see {@link KarpenterObjects}). */
    public List<String> explain(List<String> namespaces) {
        return KarpenterObjects.explain(client, namespaces);
    }

    /** Every node Karpenter made during the simulation (also those gone again), with what skci checks on it. */
    public List<KarpenterObjects.MadeNode> nodes() {
        return watch.nodes().stream().map(KarpenterWatch.Seen::node).toList();
    }

    /** When the first node Karpenter made was Ready. */
    public Optional<java.time.Instant> firstNodeReady() {
        return watch.firstReady();
    }

    /**
     * Stops the controller, then removes everything it made and every NodePool and node class, verified (bounded). Safe
     * whatever state a failed start left: it does not need a started {@link Karpenter}.
     */
    public static void stop(Cluster cluster, Duration timeout) {
        Optional<HostComponents> host = cluster.hostComponents();
        if (host.isEmpty()) {
            return;
        }
        host.get().stop(COMPONENT);
        reset(cluster.client(), timeout);
    }

    /** Stops watching (the process is stopped by {@link #stop(Cluster, Duration)}). */
    public void closeWatch() {
        watch.close();
    }

    /** Whether Karpenter's CRDs are on the cluster (a simulation with Karpenter ran on it). */
    public static boolean installed(KubernetesClient client) {
        return client.apiextensions().v1().customResourceDefinitions().withName("nodepools.karpenter.sh").get() != null;
    }

    /**
     * Deletes every NodeClaim, NodePool and KWOKNodeClass and every node Karpenter made, finalizers removed first (with
     * the controller stopped nobody else would remove them), and waits until they are gone.
     */
    static void reset(KubernetesClient client, Duration timeout) {
        KarpenterObjects.deleteAll(client);
        Wait.poll("Karpenter's nodes, NodeClaims and NodePools to be gone", timeout).every(Duration.ofMillis(200))
                .onTimeout(t -> SkciException.environment("Karpenter's objects are still there after " + timeout.toSeconds() + " s: "
                        + t.missing()))
                .until(() -> {
                    List<String> left = KarpenterObjects.left(client);
                    if (left.isEmpty()) {
                        return null;
                    }
                    KarpenterObjects.deleteAll(client);
                    return String.join(", ", left);
                });
    }

    private static void apply(KubernetesClient client, ObjectNode object, KarpenterSpec spec) {
        GenericKubernetesResource r = new KubernetesSerialization().convertValue(object, GenericKubernetesResource.class);
        try {
            client.resource(r).fieldManager("skci").forceConflicts().serverSideApply();
        } catch (KubernetesClientException e) {
            String what = r.getKind() + " " + r.getMetadata().getName();
            if (e.getCode() == 422 || e.getCode() == 400) {
                String source = (r.getKind().equals(KarpenterManifests.NODE_POOL) ? spec.nodePools() : spec.nodeClasses()).stream()
                        .filter(m -> m.name().equals(r.getMetadata().getName())).map(m -> " (" + m.where() + ")").findFirst()
                        .orElse("");
                throw SkciException.invalidInput(what + source + ": the API server refused it: "
                        + (e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage()));
            }
            throw SkciException.environment("cannot apply " + what + ": " + e.getMessage(), e);
        }
    }

    static void installCrds(KubernetesClient client, Path manifest, Duration timeout) {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        try (InputStream in = Files.newInputStream(manifest)) {
            Object parsed = new KubernetesSerialization().unmarshal(in);
            List<?> items = parsed instanceof List<?> l ? l : parsed instanceof KubernetesList kl ? kl.getItems() : List.of(parsed);
            for (Object item : items) {
                if (item instanceof CustomResourceDefinition crd) {
                    crds.add(crd);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest, e);
        }
        if (crds.isEmpty()) {
            throw SkciException.environment(manifest + " holds no CRDs; rebuild it with " + KarpenterBinaries.SETUP_COMMAND);
        }
        for (CustomResourceDefinition crd : crds) {
            var live = client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get();
            if (live == null || !crd.getSpec().equals(live.getSpec())) {
                client.resource(crd).fieldManager("skci").forceConflicts().serverSideApply();
            }
        }
        for (CustomResourceDefinition crd : crds) {
            String name = crd.getMetadata().getName();
            Wait.watch("Karpenter's CRD " + name + " to be established", timeout)
                    .onTimeout(t -> SkciException.environment("Karpenter's CRD " + name + " not established after " + timeout.toSeconds() + " s"))
                    .until(client.apiextensions().v1().customResourceDefinitions().withName(name),
                            list -> !list.isEmpty() && list.getFirst().getStatus() != null
                                    && list.getFirst().getStatus().getConditions() != null
                                    && list.getFirst().getStatus().getConditions().stream()
                                            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
        }
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw SkciException.invalidInput("cluster.autoscaler.karpenter.instanceTypes: cannot read " + from + ": " + e.getMessage());
        }
    }

    private String lastLine() {
        try {
            List<String> lines = Files.readAllLines(host.log(COMPONENT)).stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "no output" : lines.getLast().strip();
        } catch (IOException e) {
            return "no log";
        }
    }
}
