package dev.skci.autoscaler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the every-pod-scheduled check names a NodePool's limits, from the pool and Karpenter's messages alone. */
class KarpenterObjectsTest {
    private static GenericKubernetesResource pool(String cpuLimit, String cpuUsed) {
        GenericKubernetesResource p = new GenericKubernetesResource();
        p.setMetadata(new ObjectMetaBuilder().withName("general").build());
        p.setAdditionalProperty("spec", cpuLimit == null ? Map.of() : Map.of("limits", Map.of("cpu", cpuLimit)));
        if (cpuUsed != null) {
            p.setAdditionalProperty("status", Map.of("resources", Map.of("cpu", cpuUsed)));
        }
        return p;
    }

    private static final String LIMITS = "all available instance types exceed limits for nodepool: \"general\"";
    private static final String TOO_SMALL = "no instance type has enough resources, requirements=karpenter.sh/nodepool In [general]";

    @Test
    void aReachedLimitIsNamedWhateverKarpenterSaid() {
        assertEquals(List.of("NodePool general is at its limits: limits.cpu 4 (4 in use)"),
                KarpenterObjects.limitLines(List.of(pool("4", "4")), List.of("some other reason")));
        assertEquals(List.of("NodePool general is at its limits: limits.cpu 4 (5 in use)"),
                KarpenterObjects.limitLines(List.of(pool("4", "5")), List.of()));
    }

    /** The CI case: 4 CPU allowed, part of it used, and Karpenter's message is about resources, not limits. */
    @Test
    void aLimitNotYetReachedIsShownWithItsUsageWhenKarpenterPointsAtLimitsOrSize() {
        assertEquals(List.of("NodePool general sets limits: limits.cpu 4 (2 in use)"),
                KarpenterObjects.limitLines(List.of(pool("4", "2")), List.of(TOO_SMALL)));
        assertEquals(List.of("NodePool general sets limits: limits.cpu 4 (0 in use)"),
                KarpenterObjects.limitLines(List.of(pool("4", null)), List.of(LIMITS)));
    }

    @Test
    void otherwiseLimitsAreNotBlamed() {
        assertEquals(List.of(), KarpenterObjects.limitLines(List.of(pool("4", "2")), List.of("incompatible with nodepool \"general\", daemonset overhead")));
        assertEquals(List.of(), KarpenterObjects.limitLines(List.of(pool(null, "2")), List.of(TOO_SMALL)));
    }
}
