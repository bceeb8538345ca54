package dev.skci.readiness;

import dev.skci.cluster.SimNames;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.util.List;

/** At least one node labelled {@code type=virtual} is Ready (or there are none and an autoscaler will make them). */
final class VirtualNodesGate implements Gate {
    @Override
    public String id() {
        return "virtual-nodes";
    }

    @Override
    public String description() {
        return "at least one virtual node is Ready (none needed when an autoscaler makes them)";
    }

    @Override
    public Phase phase() {
        return Phase.CLUSTER;
    }

    @Override
    public String check(GateContext c) {
        List<Node> nodes = c.client().nodes().withLabel(SimNames.LABEL_NODE_TYPE, SimNames.NODE_TYPE_VIRTUAL).list().getItems();
        if (nodes.isEmpty()) {
            // With an autoscaler the simulation may start without nodes: Karpenter makes them for pending pods.
            return c.autoscaled() ? null : "there are no nodes labelled type=virtual";
        }
        return nodes.stream().anyMatch(Readiness::isNodeReady) ? null : nodes.size() + " virtual node(s), none Ready";
    }

    @Override
    public String hint(GateContext c) {
        return "'kubectl get nodes -l type=virtual' and the kwok-controller log";
    }
}
