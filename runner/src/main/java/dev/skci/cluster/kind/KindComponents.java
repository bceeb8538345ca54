package dev.skci.cluster.kind;

import dev.skci.SkciException;
import dev.skci.wait.Wait;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What runs in a kind cluster of skci's beside kubeadm's control plane: KWOK's controller and cert-manager
 * (controller, cainjector, webhook), one replica each, from the share directory's manifests. Installs them,
 * waits for them, says what is wrong with them, and fetches their logs (and the static pods') through the
 * API for a diagnostics bundle.
 */
final class KindComponents {
    static final String KWOK_NAMESPACE = "kube-system";
    static final String KWOK_DEPLOYMENT = "kwok-controller";
    static final List<String> CONTROL_PLANE = List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd");

    /** A Deployment of the manifests, and the log file name the local provider uses for the same component. */
    record Component(String namespace, String deployment, Map<String, String> selector) {
        String logName() {
            // cert-manager's controller Deployment is called "cert-manager"; its log is named as on the local provider.
            return (deployment.equals("cert-manager") ? "cert-manager-controller" : deployment) + ".log";
        }

        String shown() {
            return namespace + "/" + deployment;
        }
    }

    private final List<HasMetadata> kwok;
    private final List<HasMetadata> certManager;

    KindComponents(KindShare share) {
        this.kwok = Manifests.parse(share.kwokManifest());
        this.certManager = Manifests.parse(share.certManagerManifest());
    }

    List<Component> kwokComponents() {
        return deployments(kwok);
    }

    List<Component> certManagerComponents() {
        return deployments(certManager);
    }

    List<Component> all() {
        List<Component> all = new ArrayList<>(kwokComponents());
        all.addAll(certManagerComponents());
        return all;
    }

    /** Applies both manifests (server-side; applying again converges) and keeps kube-proxy off virtual nodes. */
    void install(KubernetesClient client, Duration timeout) {
        keepKubeProxyOffVirtualNodes(client);
        Manifests.apply(client, kwok, timeout);
        Manifests.apply(client, certManager, timeout);
    }

    /**
     * kube-proxy is a DaemonSet that tolerates every taint, so it would land (as a KWOK-faked pod) on every
     * virtual node and take a pod slot there; simulated nodes carry only simulated pods.
     */
    static void keepKubeProxyOffVirtualNodes(KubernetesClient client) {
        // Built as a structure and serialised, not as a string: a hand-counted brace went missing once.
        Map<String, Object> term = Map.of("matchExpressions", List.of(Map.of("key", dev.skci.cluster.SimNames.LABEL_NODE_TYPE,
                "operator", "NotIn", "values", List.of(dev.skci.cluster.SimNames.NODE_TYPE_VIRTUAL))));
        Map<String, Object> affinity = Map.of("nodeAffinity", Map.of("requiredDuringSchedulingIgnoredDuringExecution",
                Map.of("nodeSelectorTerms", List.of(term))));
        String patch = client.getKubernetesSerialization().asJson(
                Map.of("spec", Map.of("template", Map.of("spec", Map.of("affinity", affinity)))));
        try {
            client.apps().daemonSets().inNamespace("kube-system").withName("kube-proxy")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) { // a node image without kube-proxy has nothing to keep off
                throw e;
            }
        }
    }

    /** Waits until every Deployment of {@code components} has an available replica. */
    static void awaitAvailable(KubernetesClient client, List<Component> components, Duration timeout) {
        for (Component c : components) {
            Wait.watch("deployment " + c.shown() + " to be available", timeout)
                    .onTimeout(t -> SkciException.environment("deployment " + c.shown() + " had no available replica after "
                            + t.waited().toSeconds() + " s" + podTrouble(client, c).map(p -> " (" + p + ")").orElse("")))
                    .until(client.apps().deployments().inNamespace(c.namespace()).withName(c.deployment()),
                            list -> !list.isEmpty() && Readiness.isDeploymentReady(list.getFirst()));
        }
    }

    /**
     * Waits until cert-manager's webhook admits an Issuer (a server-side dry run), which it does only once it
     * serves with the CA the cainjector injected: before that skci's own Issuers would be refused.
     */
    static void awaitCertManagerWebhook(KubernetesClient client, Duration timeout) {
        GenericKubernetesResource probe = new GenericKubernetesResourceBuilder().withApiVersion("cert-manager.io/v1")
                .withKind("Issuer").withNewMetadata().withName("skci-kind-probe").withNamespace("cert-manager").endMetadata()
                .addToAdditionalProperties("spec", Map.of("selfSigned", Map.of())).build();
        Wait.poll("cert-manager's webhook to admit an Issuer", timeout).every(Duration.ofSeconds(1)).until(() -> {
            try {
                client.resource(probe).dryRun().create();
                return null;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    return null; // one exists already: admitted at some point, and the dry run got as far as storage
                }
                String m = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
                return m.lines().findFirst().orElse(m);
            }
        });
    }

    /** One line per component that is missing or not available; empty when all run. */
    List<String> problems(KubernetesClient client) {
        List<String> problems = new ArrayList<>();
        for (Component c : all()) {
            Deployment d = client.apps().deployments().inNamespace(c.namespace()).withName(c.deployment()).get();
            if (d == null) {
                problems.add("deployment " + c.shown() + " is not installed");
            } else if (!Readiness.isDeploymentReady(d)) {
                problems.add("deployment " + c.shown() + " has no available replica" + podTrouble(client, c).map(p -> " (" + p + ")").orElse(""));
            }
        }
        return problems;
    }

    /** Why a component's pods do not run, in a few words (e.g. "ImagePullBackOff: ..."), if they say. */
    static Optional<String> podTrouble(KubernetesClient client, Component c) {
        try {
            for (Pod p : client.pods().inNamespace(c.namespace()).withLabels(c.selector()).list().getItems()) {
                if (p.getStatus() == null) {
                    continue;
                }
                for (ContainerStatus s : p.getStatus().getContainerStatuses() == null ? List.<ContainerStatus>of()
                        : p.getStatus().getContainerStatuses()) {
                    if (s.getState() != null && s.getState().getWaiting() != null && s.getState().getWaiting().getReason() != null) {
                        String msg = s.getState().getWaiting().getMessage();
                        return Optional.of("pod " + p.getMetadata().getName() + ": " + s.getState().getWaiting().getReason()
                                + (msg == null ? "" : ": " + msg.lines().findFirst().orElse("")));
                    }
                }
                if ("Pending".equals(p.getStatus().getPhase())) {
                    return Optional.of("pod " + p.getMetadata().getName() + " is Pending");
                }
            }
            return Optional.empty();
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes the current logs of every component and of the control plane's static pods into {@code dir}
     * (names as the local provider's: {@code cert-manager-cainjector.log}, {@code control-plane/kube-apiserver.log}, ...)
     * and returns them. What cannot be read (a pod that is gone) is left out: this feeds diagnostics.
     */
    Map<String, Path> fetchLogs(KubernetesClient client, String nodeName, Path dir) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (Component c : all()) {
            try {
                List<Pod> pods = client.pods().inNamespace(c.namespace()).withLabels(c.selector()).list().getItems();
                for (Pod p : pods) {
                    String name = pods.size() == 1 ? c.logName() : c.logName().replace(".log", "-" + p.getMetadata().getName() + ".log");
                    write(out, dir, name, () -> client.pods().inNamespace(c.namespace()).withName(p.getMetadata().getName())
                            .tailingLines(20_000).getLog());
                }
            } catch (KubernetesClientException e) {
                // the API server is what failed; the bundle says so elsewhere
            }
        }
        for (String component : CONTROL_PLANE) {
            write(out, dir, "control-plane/" + component + ".log", () -> client.pods().inNamespace("kube-system")
                    .withName(component + "-" + nodeName).tailingLines(20_000).getLog());
        }
        return out;
    }

    private interface LogSource {
        String read();
    }

    private static void write(Map<String, Path> out, Path dir, String name, LogSource source) {
        try {
            String log = source.read();
            Path f = dir.resolve(name);
            Files.createDirectories(f.getParent());
            Files.writeString(f, log == null ? "" : log);
            out.put(name, f);
        } catch (KubernetesClientException | IOException e) {
            // left out
        }
    }

    private static List<Component> deployments(List<HasMetadata> objects) {
        List<Component> out = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o instanceof Deployment d) {
                Map<String, String> selector = d.getSpec() != null && d.getSpec().getSelector() != null
                        && d.getSpec().getSelector().getMatchLabels() != null ? d.getSpec().getSelector().getMatchLabels() : Map.of();
                out.add(new Component(d.getMetadata().getNamespace() == null ? "default" : d.getMetadata().getNamespace(),
                        d.getMetadata().getName(), Map.copyOf(selector)));
            }
        }
        return out;
    }
}
