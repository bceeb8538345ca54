package dev.skci.observe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Resource quantities as numbers: a pod's effective requests, as the scheduler counts them. */
final class Resources {
    private Resources() {}

    static long cpuMillis(Quantity q) {
        return q == null ? 0 : Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(1000)).longValue();
    }

    static long bytes(Quantity q) {
        return q == null ? 0 : Quantity.getAmountInBytes(q).longValue();
    }

    /** {cpu millis, memory bytes}: the sum over containers, or the largest init container if that is more. */
    static long[] requests(Pod pod) {
        if (pod.getSpec() == null) {
            return new long[] {0, 0};
        }
        long[] sum = sum(pod.getSpec().getContainers());
        long[] init = max(pod.getSpec().getInitContainers());
        return new long[] {Math.max(sum[0], init[0]), Math.max(sum[1], init[1])};
    }

    private static long[] sum(List<Container> cs) {
        long cpu = 0;
        long mem = 0;
        for (Container c : cs == null ? List.<Container>of() : cs) {
            Map<String, Quantity> r = c.getResources() == null ? null : c.getResources().getRequests();
            if (r != null) {
                cpu += cpuMillis(r.get("cpu"));
                mem += bytes(r.get("memory"));
            }
        }
        return new long[] {cpu, mem};
    }

    private static long[] max(List<Container> cs) {
        long cpu = 0;
        long mem = 0;
        for (Container c : cs == null ? List.<Container>of() : cs) {
            Map<String, Quantity> r = c.getResources() == null ? null : c.getResources().getRequests();
            if (r != null) {
                cpu = Math.max(cpu, cpuMillis(r.get("cpu")));
                mem = Math.max(mem, bytes(r.get("memory")));
            }
        }
        return new long[] {cpu, mem};
    }
}
