package dev.skci.testing;

import dev.skci.observe.Metrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Metrics for tests that need a result but no cluster. */
public final class TestMetrics {
    private TestMetrics() {}

    public static Metrics.Quantiles noLatency() {
        return new Metrics.Quantiles(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /** Nothing happened. */
    public static Metrics empty() {
        return with(0, 0, 0, 1.0, false);
    }

    /** A run that created and scheduled pods, with this many unschedulable, this many nodes at peak, this fidelity. */
    public static Metrics with(double created, double unschedulable, double nodesPeak, double podSeconds, boolean fidelityApplies) {
        var lat = new Metrics.Quantiles(created, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(50));
        return new Metrics(
                new Metrics.Pods(created, created - unschedulable, unschedulable, unschedulable, created - unschedulable, 0, 0,
                        new Metrics.Latency(lat, lat), new Metrics.Latency(lat, lat),
                        unschedulable > 0 ? List.of(new Metrics.Reason("0/3 nodes are available: 3 Insufficient cpu", unschedulable)) : List.of()),
                new Metrics.Nodes(nodesPeak, nodesPeak, nodesPeak), new Metrics.Resource(2, 24, 2.0 / 24), new Metrics.Resource(1e9, 96e9, 1.0 / 96),
                Map.of("FailedScheduling", unschedulable), Map.of("shop/frontend", new Metrics.Workload("Deployment", created, created, created,
                        created - unschedulable, created - unschedulable, 0, Duration.ofSeconds(2), 1, 1, podSeconds)),
                new Metrics.Fidelity(fidelityApplies, podSeconds, 1, 1),
                List.of(sample(0, 0), sample(10, created), sample(20, created)));
    }

    public static Metrics.Sample sample(long t, double pending) {
        return new Metrics.Sample(Duration.ofSeconds(t), Duration.ofSeconds(t), new Metrics.SamplePods(pending, pending, 0, 0, 0, 0), 3,
                new Metrics.SampleResource(0, 24), new Metrics.SampleResource(0, 96e9));
    }
}
