package dev.skci.cluster.kind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.SkciException;
import dev.skci.cluster.ProviderOptions;
import dev.skci.cluster.Providers;
import dev.skci.testing.ChildJvm;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kind provider's parts that need no Docker: where its inputs come from, its config, its refusals. */
class KindProviderUnitTest {
    private static final String KWOK = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: stages.kwok.x-k8s.io}
            spec:
              group: kwok.x-k8s.io
              names: {kind: Stage, plural: stages}
              scope: Cluster
              versions: [{name: v1alpha1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: kwok-controller, namespace: kube-system}
            spec:
              selector: {matchLabels: {app: kwok-controller}}
              template:
                metadata: {labels: {app: kwok-controller}}
                spec: {containers: [{name: kwok, image: registry.k8s.io/kwok/kwok:v0.7.0}]}
            """;
    private static final String CERT_MANAGER = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: cert-manager}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: cert-manager, namespace: cert-manager}
            spec:
              selector: {matchLabels: {app.kubernetes.io/component: controller}}
              template:
                metadata: {labels: {app.kubernetes.io/component: controller}}
                spec: {containers: [{name: c, image: quay.io/jetstack/cert-manager-controller:v1.11.5}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: cert-manager-cainjector, namespace: cert-manager}
            spec:
              selector: {matchLabels: {app.kubernetes.io/component: cainjector}}
              template:
                metadata: {labels: {app.kubernetes.io/component: cainjector}}
                spec: {containers: [{name: c, image: quay.io/jetstack/cert-manager-cainjector:v1.11.5}]}
            """;

    static Path share(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("node-image"), "skci.local/kind-node:v1.33.13-abc\n");
        Files.writeString(dir.resolve("kind-config.yaml"), "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n");
        Files.writeString(dir.resolve("kwok.yaml"), KWOK);
        Files.writeString(dir.resolve("cert-manager.yaml"), CERT_MANAGER);
        Files.writeString(dir.resolve("images.txt"), "registry.k8s.io/kwok/kwok:v0.7.0\n\nquay.io/jetstack/cert-manager-controller:v1.11.5\n");
        return dir;
    }

    @Test
    void theShareDirectoryIsFoundWhereTheImageAndTheEnvironmentPutIt(@TempDir Path tmp) throws IOException {
        Path image = share(tmp.resolve("opt/skci/share/kind"));
        KindShare viaHome = KindShare.locate(Map.of("SKCI_HOME", tmp.resolve("opt/skci").toString())::get);
        assertEquals(image, viaHome.dir());
        assertEquals("skci.local/kind-node:v1.33.13-abc", viaHome.nodeImage());
        assertEquals(List.of("registry.k8s.io/kwok/kwok:v0.7.0", "quay.io/jetstack/cert-manager-controller:v1.11.5"), viaHome.images());
        assertEquals("kind", viaHome.kind(), "no bin/kind beside the files: the one on PATH");

        assertEquals(image, KindShare.locate(Map.of("SKCI_SHARE_DIR", tmp.resolve("opt/skci/share").toString())::get).dir());
        Path explicit = share(tmp.resolve("mine/kind"));
        assertEquals(explicit, KindShare.locate(Map.of("SKCI_KIND_SHARE_DIR", explicit.toString(),
                "SKCI_HOME", tmp.resolve("opt/skci").toString())::get).dir(), "the explicit one wins");
        assertEquals(explicit, KindShare.locate(Map.of("SKCI_KIND_SHARE_DIR", tmp.resolve("mine").toString())::get).dir(),
                "its parent (what share-dir.sh prints) works too");

        Files.createDirectories(explicit.resolve("bin"));
        Path kind = Files.writeString(explicit.resolve("bin/kind"), "#!/bin/sh\n");
        kind.toFile().setExecutable(true);
        assertEquals(kind.toString(), KindShare.locate(Map.of("SKCI_KIND_SHARE_DIR", explicit.toString())::get).kind());
    }

    @Test
    void noShareDirectoryIsAnEnvironmentErrorSayingWhatToRun(@TempDir Path tmp) {
        SkciException none = assertThrows(SkciException.class, () -> KindShare.locate(Map.<String, String>of()::get));
        assertEquals(SkciException.Kind.ENVIRONMENT, none.kind());
        assertTrue(none.getMessage().contains("scripts/kind/build-node-image.sh") && none.getMessage().contains("SKCI_KIND_SHARE_DIR")
                && none.getMessage().contains("/opt/skci/share/kind"), none.getMessage());
        SkciException empty = assertThrows(SkciException.class,
                () -> KindShare.locate(Map.of("SKCI_KIND_SHARE_DIR", tmp.toString())::get));
        assertTrue(empty.getMessage().contains("holds no kind share directory") && empty.getMessage().contains("scripts/kind/share-dir.sh"),
                empty.getMessage());
    }

    @Test
    void theOomScoreAdjPatchIsAddedOnlyWhereCapSysResourceIsMissing(@TempDir Path tmp) throws IOException {
        Path base = share(tmp).resolve("kind-config.yaml");
        // The test VMs: CapBnd 000001fffeffffff, bit 24 clear.
        Optional<BigInteger> vm = KindConfig.parseCapBnd("Name:\tjava\nCapBnd:\t000001fffeffffff\nCapAmb:\t0\n");
        Optional<BigInteger> ec2 = KindConfig.parseCapBnd("CapBnd:\t000001ffffffffff\n");
        assertTrue(KindConfig.lacksSysResource(vm));
        assertFalse(KindConfig.lacksSysResource(ec2));
        assertFalse(KindConfig.lacksSysResource(Optional.empty()), "unknown: the config as it is");
        String patched = KindConfig.render(base, vm);
        assertTrue(patched.startsWith(Files.readString(base)));
        assertTrue(patched.contains("containerdConfigPatches:") && patched.contains("restrict_oom_score_adj = true"), patched);
        assertEquals(Files.readString(base), KindConfig.render(base, ec2));
    }

    @Test
    void theComponentsComeFromTheManifestsWithTheLocalProvidersLogNames(@TempDir Path tmp) throws IOException {
        KindComponents c = new KindComponents(KindShare.read(share(tmp)));
        assertEquals(List.of("kube-system/kwok-controller"), c.kwokComponents().stream().map(KindComponents.Component::shown).toList());
        assertEquals(List.of("cert-manager-controller.log", "cert-manager-cainjector.log"),
                c.certManagerComponents().stream().map(KindComponents.Component::logName).toList());
        assertEquals(Map.of("app.kubernetes.io/component", "cainjector"), c.certManagerComponents().get(1).selector());
        assertEquals(4, Manifests.parse(tmp.resolve("cert-manager.yaml")).size() + Manifests.parse(tmp.resolve("kwok.yaml")).size() - 1);
    }

    @Test
    void theGatewayIsTheFirstIpv4Address() {
        assertEquals(Optional.of("172.18.0.1"), KindCli.firstIpv4("fc00:f853:ccd:e793::1 172.18.0.1 \n"));
        assertEquals(Optional.of("172.18.0.1"), KindCli.firstIpv4("172.18.0.1 fc00::1"));
        assertEquals(Optional.empty(), KindCli.firstIpv4("fc00::1 999.1.1.1 "));
        assertEquals(Optional.empty(), KindCli.firstIpv4(""));
    }

    @Test
    void kindRefusesTheFlagsOfOtherProviders() {
        ProviderOptions o = ProviderOptions.defaults(line -> {});
        SkciException kubeconfig = assertThrows(SkciException.class, () -> Providers.create("kind", o.withKubeconfig(Path.of("k"))));
        assertEquals(SkciException.Kind.INVALID_INPUT, kubeconfig.kind());
        SkciException port = assertThrows(SkciException.class, () -> Providers.create("kind", o.withApiServerPort(6443)));
        assertTrue(port.getMessage().contains("--api-port is for --provider local"), port.getMessage());
        assertEquals("kind", Providers.create("kind", o.withWebhookHost("10.0.0.1")).name());
    }

    @Test
    void aCommandGetsItsArgumentsAsAListAndItsTimeout(@TempDir Path tmp) {
        Command.Result echo = Command.of(java.time.Duration.ofSeconds(10), "printf", "%s|", "a b", "$(id)", ";").run();
        assertEquals("a b|$(id)|;|", echo.output(), "no shell in between");
        Command.Result slow = Command.of(java.time.Duration.ofMillis(300), "sleep", "30").run();
        assertEquals(-1, slow.exit());
        assertTrue(slow.lastLine().contains("stopped after"), slow.lastLine());
        SkciException missing = assertThrows(SkciException.class, () -> Command.of(java.time.Duration.ofSeconds(5),
                tmp.resolve("no-such-program").toString()).run());
        assertEquals(SkciException.Kind.ENVIRONMENT, missing.kind());
    }

    /** In a separate JVM, so the environment is the test's: one line, exit 3, saying what to do. */
    @Test
    void withoutDockerOrTheShareDirectoryTheCommandsExit3WithWhatToRun(@TempDir Path tmp) throws IOException {
        ChildJvm.Result noShare = ChildJvm.skci(Map.of("SKCI_KIND_SHARE_DIR", tmp.resolve("nothing").toString(),
                "SKCI_CACHE_DIR", tmp.resolve("cache").toString()), 60, "cluster", "up", "--provider", "kind");
        assertEquals(3, noShare.exit(), noShare.err());
        assertEquals(1, noShare.errLines().size(), noShare.err());
        assertTrue(noShare.errLines().getFirst().contains("scripts/kind/share-dir.sh"), noShare.err());

        Path share = share(tmp.resolve("share/kind"));
        ChildJvm.Result noDocker = ChildJvm.skci(Map.of("SKCI_KIND_SHARE_DIR", share.toString(), "PATH", tmp.resolve("empty").toString(),
                "SKCI_CACHE_DIR", tmp.resolve("cache").toString()), 60, "run", "--provider", "kind",
                dev.skci.TestData.sharedTrace("cronjob.sktrace").toString(), "--report-dir", tmp.resolve("reports").toString());
        assertEquals(3, noDocker.exit(), noDocker.err());
        assertTrue(noDocker.err().contains("docker is not installed") && noDocker.err().contains("scripts/docker-engine.sh up"),
                noDocker.err());
        assertFalse(noDocker.err().contains("\tat "), "no stack trace: " + noDocker.err());
    }
}
