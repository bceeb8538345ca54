package dev.skci.kind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.cluster.ClusterStatus;
import dev.skci.cluster.StatusProbe;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

/**
 * Testcontainers on images built from skci's pinned binaries (scripts/kind/build-images.sh): etcd and
 * kube-apiserver as two containers on one Docker network, the way kubeadm runs them in a kind node
 * but without kubelet. Proves that the images are complete (entrypoints, users, PATH), that the API
 * server they form stores objects, and that skci's status probe reads it like any existing cluster.
 */
@Tag("kind")
class ApiServerContainerTest {

    private static final String TOKEN = "skci-" + UUID.randomUUID();

    @Test
    void apiServerFromThePinnedBinariesServesAndStores(@TempDir Path tmp) throws Exception {
        String serviceAccountKey = pem("PRIVATE KEY", rsa().getPrivate().getEncoded());
        try (Network net = Network.newNetwork();
                GenericContainer<?> etcd = KindImages.local(KindImages.etcd())
                        .withNetwork(net)
                        .withNetworkAliases("etcd")
                        .withCommand("--data-dir=/tmp/etcd", "--listen-client-urls=http://0.0.0.0:2379",
                                "--advertise-client-urls=http://etcd:2379")
                        .withExposedPorts(2379)
                        .waitingFor(Wait.forHttp("/health").forPort(2379).withStartupTimeout(Duration.ofSeconds(60)));
                GenericContainer<?> apiserver = KindImages.local(KindImages.kubeApiServer())
                        .withNetwork(net)
                        .withCopyToContainer(Transferable.of(TOKEN + ",skci-test,skci-test,system:masters\n"), "/config/tokens.csv")
                        .withCopyToContainer(Transferable.of(serviceAccountKey), "/config/sa.key")
                        .withCommand("--etcd-servers=http://etcd:2379", "--secure-port=6443",
                                "--cert-dir=/tmp/certs", "--token-auth-file=/config/tokens.csv",
                                "--authorization-mode=RBAC", "--service-cluster-ip-range=10.96.0.0/16",
                                "--service-account-issuer=https://kubernetes.default.svc",
                                "--service-account-key-file=/config/sa.key",
                                "--service-account-signing-key-file=/config/sa.key")
                        .withExposedPorts(6443)
                        .waitingFor(Wait.forHttps("/readyz").forPort(6443).allowInsecure()
                                .withHeader("Authorization", "Bearer " + TOKEN)
                                .withStartupTimeout(Duration.ofSeconds(120)))) {
            etcd.start();
            apiserver.start();

            // The containers run skci's images, not something a registry supplied.
            for (GenericContainer<?> c : List.of(etcd, apiserver)) {
                Map<String, String> labels = DockerClientFactory.instance().client()
                        .inspectImageCmd(c.getDockerImageName()).exec().getConfig().getLabels();
                assertTrue(labels != null && labels.containsKey("dev.skci.kind.key"), c.getDockerImageName() + " " + labels);
            }

            String server = "https://" + apiserver.getHost() + ":" + apiserver.getMappedPort(6443);
            Path kubeconfig = tmp.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: c, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                    users: [{name: u, user: {token: "%s"}}]
                    contexts: [{name: x, context: {cluster: c, user: u}}]
                    current-context: x
                    """.formatted(server, TOKEN));

            ClusterStatus status = StatusProbe.observe("containers", "existing", kubeconfig, Map.of(), List.of());
            assertTrue(status.apiReachable(), status.problems().toString());
            assertEquals(KindImages.PINS.kubernetes(), status.componentVersions().get("kube-apiserver"));
            assertEquals(0, status.nodes(), "no kubelet runs here, so no node registers");

            Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
                ConfigMap written = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                        .withNewMetadata().withName("skci-probe").endMetadata()
                        .addToData("written-by", "ApiServerContainerTest").build()).create();
                assertFalse(written.getMetadata().getResourceVersion().isBlank());
                ConfigMap read = client.configMaps().inNamespace("default").withName("skci-probe").get();
                assertEquals("ApiServerContainerTest", read.getData().get("written-by"));
            }
            // ... and the object is in etcd, under the key the API server stores it at (etcd's v3 JSON gateway).
            String key = Base64.getEncoder().encodeToString("/registry/configmaps/default/skci-probe".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> range = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://" + etcd.getHost() + ":" + etcd.getMappedPort(2379) + "/v3/kv/range"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + key + "\",\"count_only\":true}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, range.statusCode(), range.body());
            assertTrue(range.body().contains("\"count\":\"1\""), range.body());
        }
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
