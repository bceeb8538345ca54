package dev.skci.cluster;

import dev.skci.Failures;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a cluster while a run uses it (docs/design.md, "Supervision"): every process the provider
 * runs for it ({@link Cluster#components()}), and whether its API server answers. The first problem is
 * reported once, in one line: a component that exited (its name, how it ended, the end of its log), or
 * an API server that did not answer for the stall timeout ("the API server did not answer for 45 s").
 * A shorter stall is not a problem: the run's API calls retry through it. A component its provider restarts on
 * purpose ({@link Cluster#restarting()}: the scheduler, for a simulation with another configuration) is not a problem
 * either.
 */
public final class ClusterWatch implements AutoCloseable {
    /** How long the API server may stay silent before the run is stopped (exit 3). */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(45);
    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);
    private static final long COMPONENT_EVERY_MS = 250;
    private static final long API_EVERY_MS = 1000;
    private static final int LOG_LINES = 3;

    private final Cluster cluster;
    private final Duration stallTimeout;
    private final Consumer<String> onProblem;
    private final AtomicReference<String> problem = new AtomicReference<>();
    private final KubernetesClient prober;
    private final Thread thread;
    private volatile boolean closed;

    private ClusterWatch(Cluster cluster, Duration stallTimeout, Consumer<String> onProblem) {
        this.cluster = cluster;
        this.stallTimeout = stallTimeout;
        this.onProblem = onProblem;
        this.prober = KubeClients.prober(cluster.kubeconfig());
        this.thread = Thread.ofPlatform().daemon().name("skci-cluster-watch").unstarted(this::watch);
    }

    /** Starts watching; {@code onProblem} is called once, from the watching thread, with the first problem. */
    public static ClusterWatch start(Cluster cluster, Duration stallTimeout, Consumer<String> onProblem) {
        ClusterWatch w = new ClusterWatch(cluster, stallTimeout, onProblem);
        w.thread.start();
        return w;
    }

    /** The problem reported, if any. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem.get());
    }

    private void watch() {
        long lastAnswer = System.nanoTime();
        long nextProbe = 0;
        String lastNoAnswer = null;
        // A process reads as gone for a moment while it execs (setsid, then the program); one that is
        // gone on two checks in a row has exited.
        Set<String> missingOnce = new HashSet<>();
        try {
            while (!closed) {
                List<Component> components = cluster.components();
                // Read after the components: a component restarted on purpose is marked before it stops, so one
                // seen stopped above and not marked here was not stopped by its provider.
                Set<String> restarting = cluster.restarting();
                for (Component c : components) {
                    if (c.running() || restarting.contains(c.name())) {
                        missingOnce.remove(c.name());
                    } else if (!missingOnce.add(c.name())) {
                        report(c.describeExit(LOG_LINES));
                        return;
                    }
                }
                long now = System.nanoTime();
                if (now - nextProbe >= 0) {
                    nextProbe = now + API_EVERY_MS * 1_000_000;
                    String noAnswer = probe();
                    if (noAnswer == null) {
                        lastAnswer = System.nanoTime();
                    } else {
                        lastNoAnswer = noAnswer;
                        long silent = System.nanoTime() - lastAnswer;
                        if (silent >= stallTimeout.toNanos()) {
                            report("the API server did not answer for " + Duration.ofNanos(silent).toSeconds() + " s (" + lastNoAnswer
                                    + "); its log: " + cluster.logHint("control-plane/kube-apiserver.log"));
                            return;
                        }
                    }
                }
                Thread.sleep(COMPONENT_EVERY_MS);
            }
        } catch (InterruptedException e) {
            // closed
        } catch (RuntimeException e) {
            LOG.warn("watching cluster '{}' failed: {}", cluster.name(), e.toString());
        }
    }

    /** Null when the API server reports ready, else what it said (or that it said nothing). */
    private String probe() {
        try {
            String r = prober.raw("/readyz");
            return "ok".equals(r) ? null : "/readyz is not ok";
        } catch (RuntimeException e) {
            return Failures.rootMessage(e);
        }
    }

    private void report(String what) {
        if (closed || !problem.compareAndSet(null, what)) {
            return;
        }
        LOG.debug("cluster problem: {}", what);
        onProblem.accept(what);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        prober.close();
    }
}
