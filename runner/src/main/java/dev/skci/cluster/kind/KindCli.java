package dev.skci.cluster.kind;

import dev.skci.SkciException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The two programs the kind provider drives, {@code kind} and {@code docker}, each call a process with an
 * argument list. kind itself runs docker, so both must be installed; a missing one is exit 3 naming what to
 * install or start.
 */
final class KindCli {
    private static final Duration QUICK = Duration.ofSeconds(30);

    private final String kind;
    private final String docker;

    private KindCli(String kind, String docker) {
        this.kind = kind;
        this.docker = docker;
    }

    /** Checks that both programs exist and that a Docker engine answers. */
    static KindCli find(String kind) {
        String docker = onPath("docker").orElseThrow(() -> SkciException.environment(
                "the kind provider needs Docker, and docker is not installed; on a test machine scripts/docker-engine.sh up "
                        + "installs and starts an engine (as root); elsewhere install docker.io"));
        String kindBin = kind.contains("/") ? (Files.isExecutable(Path.of(kind)) ? kind : null) : onPath(kind).orElse(null);
        if (kindBin == null) {
            throw SkciException.environment("the kind provider needs kind, and it is not installed; in a source checkout "
                    + "scripts/kind/build-binaries.sh builds the pinned one (scripts/kind/share-dir.sh links it), the machine "
                    + "image has /usr/local/bin/kind");
        }
        KindCli cli = new KindCli(kindBin, docker);
        Command.Result info = Command.of(QUICK, docker, "info", "--format", "{{.ServerVersion}}").run();
        if (!info.ok() || info.output().isBlank()) {
            throw SkciException.environment("no Docker engine answers (" + info.lastLine() + "); start one: "
                    + "scripts/docker-engine.sh up on a test machine, 'sudo systemctl start docker' on the machine image, "
                    + "and check that this user may use it (the docker group)");
        }
        return cli;
    }

    boolean exists(String name) {
        return clusters().contains(name);
    }

    List<String> clusters() {
        String out = Command.of(QUICK, kind, "get", "clusters").output("listing kind clusters");
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /**
     * {@code kind create cluster} from an image and a config, writing kind's kubeconfig to {@code kubeconfig}
     * (never ~/.kube/config). {@code --retain} keeps a node that failed to boot so its logs can be exported.
     */
    Command.Result create(String name, String image, Path config, Path kubeconfig, Duration timeout) {
        return Command.of(timeout, kind, "create", "cluster", "--name", name, "--image", image, "--config", config.toString(),
                "--kubeconfig", kubeconfig.toString(), "--retain").run();
    }

    void delete(String name, Duration timeout) {
        Command.of(timeout, kind, "delete", "cluster", "--name", name).output("deleting kind cluster '" + name + "'");
    }

    String kubeconfig(String name) {
        return Command.of(QUICK, kind, "get", "kubeconfig", "--name", name).output("reading the kubeconfig of kind cluster '" + name + "'");
    }

    /** {@code kind load docker-image}: copies what the node lacks; an image the node has is "already present". */
    void load(String name, List<String> images, Duration timeout) {
        List<String> argv = new ArrayList<>(List.of(kind, "load", "docker-image", "--name", name));
        argv.addAll(images);
        new Command(argv, timeout).output("loading images into kind cluster '" + name + "'");
    }

    Command.Result exportLogs(String name, Path dir) {
        return Command.of(Duration.ofMinutes(2), kind, "export", "logs", dir.toString(), "--name", name).run();
    }

    boolean imageExists(String ref) {
        return Command.of(QUICK, docker, "image", "inspect", "--format", "{{.Id}}", ref).run().ok();
    }

    /** The first of {@code refs} Docker does not have, if any. */
    Optional<String> firstMissingImage(List<String> refs) {
        return refs.stream().filter(r -> !imageExists(r)).findFirst();
    }

    /** "true", "false", or empty when there is no such container. */
    Optional<Boolean> running(String container) {
        Command.Result r = Command.of(QUICK, docker, "inspect", "--format", "{{.State.Running}}", container).run();
        return r.ok() ? Optional.of(r.output().strip().equals("true")) : Optional.empty();
    }

    /** The image a container was created from, as it was named. */
    Optional<String> imageOf(String container) {
        Command.Result r = Command.of(QUICK, docker, "inspect", "--format", "{{.Config.Image}}", container).run();
        return r.ok() ? Optional.of(r.output().strip()) : Optional.empty();
    }

    /**
     * The IPv4 gateway of a Docker network: the host's address on that bridge, where the API server in a
     * kind node reaches a server skci starts on this host.
     */
    Optional<String> gateway(String network) {
        Command.Result r = Command.of(QUICK, docker, "network", "inspect", network, "--format",
                "{{range .IPAM.Config}}{{.Gateway}} {{end}}").run();
        return r.ok() ? firstIpv4(r.output()) : Optional.empty();
    }

    static Optional<String> firstIpv4(String words) {
        return Arrays.stream(words.strip().split("\\s+"))
                .filter(w -> w.matches("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}")).findFirst();
    }

    private static Optional<String> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, program);
                if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                    return Optional.of(p.toString());
                }
            }
        }
        return Optional.empty();
    }
}
