package dev.skci.cluster.local;

import dev.skci.SkciException;
import dev.skci.cluster.CertManagerProcesses;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import dev.skci.cluster.Component;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import dev.skci.wait.Wait;

/**
 * cert-manager's controller and cainjector as host processes against a local cluster, leader election
 * off (postmortem remediation 1: a single instance has nobody to wait for). Each {@code start} returns
 * once the component is working: the controller's metrics endpoint answers, and the cainjector has
 * started the controller that injects Certificates' CAs into MutatingWebhookConfigurations. Listeners
 * bind to loopback only. Pid files let {@code down} stop them after the JVM that started them is gone.
 */
public final class LocalCertManager implements CertManagerProcesses {
    static final String CONTROLLER = "cert-manager-controller";
    static final String CAINJECTOR = "cert-manager-cainjector";
    /** Logged by the cainjector once the MWC injection controller runs (controller-runtime, v1.11). */
    private static final String CAINJECTOR_READY = "cert-manager/certificate/mutatingwebhookconfiguration";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final BinarySet bins;
    private final ClusterDir dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** The processes this JVM started, so that how they ended can be told (a process started elsewhere cannot be waited for). */
    private final Map<String, Process> started = new ConcurrentHashMap<>();

    public LocalCertManager(BinarySet bins, ClusterDir dir) {
        this.bins = bins;
        this.dir = dir;
    }

    @Override
    public void startController() {
        if (controllerRunning()) {
            return;
        }
        int port = freeLoopbackPort();
        Path log = log(CONTROLLER);
        long offset = size(log);
        Process process = HostProcess.start(controllerArgv(port), log, pidFile(CONTROLLER));
        started.put(CONTROLLER, process);
        awaitStarted(CONTROLLER, process, log, offset, () -> metricsAnswer(port));
        writePort(port);
    }

    @Override
    public void stopController() {
        HostProcess.stop(pidFile(CONTROLLER), dir.marker(), STOP_GRACE);
    }

    @Override
    public boolean controllerRunning() {
        return HostProcess.running(pidFile(CONTROLLER), dir.marker()).isPresent();
    }

    @Override
    public void startCainjector() {
        if (cainjectorRunning()) {
            return;
        }
        Path log = log(CAINJECTOR);
        long offset = size(log);
        Process process = HostProcess.start(cainjectorArgv(), log, pidFile(CAINJECTOR));
        started.put(CAINJECTOR, process);
        awaitStarted(CAINJECTOR, process, log, offset,
                () -> logSince(log, offset).lines().anyMatch(l -> l.contains(CAINJECTOR_READY) && l.contains("Starting workers")));
    }

    @Override
    public void stopCainjector() {
        HostProcess.stop(pidFile(CAINJECTOR), dir.marker(), STOP_GRACE);
    }

    @Override
    public boolean cainjectorRunning() {
        return HostProcess.running(pidFile(CAINJECTOR), dir.marker()).isPresent();
    }

    private List<String> controllerArgv(int port) {
        return List.of(
                bins.certManagerController().toString(),
                "--kubeconfig=" + dir.kubeconfig(),
                "--leader-elect=false",
                "--metrics-listen-address=127.0.0.1:" + port,
                "--cluster-resource-namespace=kube-system",
                "--enable-certificate-owner-ref=true",
                "--v=2");
    }

    private List<String> cainjectorArgv() {
        return List.of(bins.certManagerCainjector().toString(), "--kubeconfig=" + dir.kubeconfig(), "--leader-elect=false", "--v=2");
    }

    /** Both components as the cluster's status and its supervision see them. */
    List<Component> components() {
        return List.of(component(CONTROLLER), component(CAINJECTOR));
    }

    private Component component(String name) {
        OptionalLong pid = HostProcess.running(pidFile(name), dir.marker());
        List<String> argv = pid.isPresent() ? ProcFs.argv(pid.getAsLong()).orElse(List.of()) : List.of();
        if (argv.isEmpty()) {
            argv = name.equals(CONTROLLER) ? controllerArgv(metricsPort()) : cainjectorArgv();
        }
        Optional<String> exit = Optional.empty();
        Process p = started.get(name);
        if (pid.isEmpty() && p != null && !p.isAlive()) {
            exit = Optional.of(HostProcess.describeExit(p.exitValue()));
        }
        return new Component(name, pid.isPresent(), argv, exit, log(name));
    }

    private int metricsPort() {
        try {
            return Integer.parseInt(Files.readString(dir.pids().resolve(CONTROLLER + ".metrics-port")).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Starts both (controller first); a no-op for a component that already runs. */
    public void startAll() {
        startController();
        startCainjector();
    }

    public void stopAll() {
        stopCainjector();
        stopController();
    }

    public Path log(String component) {
        return dir.logs().resolve(component + ".log");
    }

    private Path pidFile(String component) {
        return dir.pids().resolve(component + ".pid");
    }

    private void awaitStarted(String component, Process process, Path log, long offset, BooleanSupplier ready) {
        Wait.poll(component + " to start", START_TIMEOUT).every(Duration.ofMillis(50))
                .onTimeout(t -> SkciException.environment(component + " did not become ready within " + START_TIMEOUT.toSeconds()
                        + "s (log: " + log + ")"))
                .until(() -> {
                    if (ready.getAsBoolean()) {
                        return null;
                    }
                    if (!process.isAlive()) {
                        throw SkciException.environment(component + " exited during start-up with status " + process.exitValue()
                                + ": " + lastLine(logSince(log, offset)) + " (log: " + log + ")");
                    }
                    return "not ready yet";
                });
    }

    private boolean metricsAnswer(int port) {
        try {
            HttpResponse<Void> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            throw SkciException.interrupted("waiting for cert-manager", e);
        }
    }

    private void writePort(int port) {
        try {
            Files.writeString(dir.pids().resolve(CONTROLLER + ".metrics-port"), Integer.toString(port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String logSince(Path log, long offset) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            if (len <= offset) {
                return "";
            }
            byte[] buf = new byte[(int) Math.min(len - offset, 4 << 20)];
            f.seek(offset);
            f.readFully(buf);
            return new String(buf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "no output" : lines.getLast().strip();
    }
}
