package dev.skci.cluster;

import dev.skci.SkciException;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Capacity and allocatable of a virtual node, derived from a {@link ClusterSpec.NodeShape} the way a
 * managed-Kubernetes kubelet reserves resources (the EKS formulas): CPU 6% of the first core, 1% of the
 * second, 0.5% of the next two and 0.25% of the rest; memory 255Mi + 11Mi per pod plus a 100Mi eviction
 * threshold; 10% of ephemeral storage. Realistic allocatable matters because the scheduler packs against it.
 */
public record NodeCapacity(Map<String, Quantity> capacity, Map<String, Quantity> allocatable, String instanceType) {

    private static final BigDecimal KI = BigDecimal.valueOf(1024);
    private static final String EPHEMERAL_STORAGE = "100Gi";

    public static NodeCapacity of(ClusterSpec.NodeShape shape) {
        BigDecimal cores = parse("--node-cpu", shape.cpu());
        BigDecimal bytes = parse("--node-memory", shape.memory());
        if (shape.pods() < 1) {
            throw SkciException.invalidInput("--node-pods must be at least 1, got " + shape.pods());
        }
        long millis = cores.movePointRight(3).setScale(0, RoundingMode.DOWN).longValueExact();
        long memKi = bytes.divide(KI, 0, RoundingMode.DOWN).longValueExact();
        long storageKi = Quantity.getAmountInBytes(new Quantity(EPHEMERAL_STORAGE)).divide(KI, 0, RoundingMode.DOWN).longValueExact();

        long reservedMillis = reservedCpuMillis(millis);
        long reservedMemKi = (255L + 11L * shape.pods() + 100L) * 1024;
        if (reservedMillis >= millis || reservedMemKi >= memKi) {
            throw SkciException.invalidInput("a node of " + shape.cpu() + " CPU and " + shape.memory()
                    + " memory has nothing left after the kubelet's reservations; use a larger --node-cpu/--node-memory");
        }
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", new Quantity(millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m"));
        capacity.put("memory", new Quantity(memKi + "Ki"));
        capacity.put("ephemeral-storage", new Quantity(storageKi + "Ki"));
        capacity.put("pods", new Quantity(Integer.toString(shape.pods())));
        Map<String, Quantity> allocatable = new LinkedHashMap<>();
        allocatable.put("cpu", new Quantity((millis - reservedMillis) + "m"));
        allocatable.put("memory", new Quantity((memKi - reservedMemKi) + "Ki"));
        allocatable.put("ephemeral-storage", new Quantity((storageKi - storageKi / 10) + "Ki"));
        allocatable.put("pods", new Quantity(Integer.toString(shape.pods())));
        return new NodeCapacity(capacity, allocatable, instanceType(millis, memKi));
    }

    /** EKS's CPU reservation, in millicores, for a node with {@code millis} millicores. */
    static long reservedCpuMillis(long millis) {
        double cores = millis / 1000.0;
        double reserved = 0;
        reserved += Math.min(cores, 1) * 0.06;
        reserved += Math.clamp(cores - 1, 0, 1) * 0.01;
        reserved += Math.clamp(cores - 2, 0, 2) * 0.005;
        reserved += Math.max(cores - 4, 0) * 0.0025;
        return Math.round(reserved * 1000);
    }

    /** An m5 instance type when the shape is one, else a descriptive custom name. */
    static String instanceType(long millis, long memKi) {
        long gi = memKi / (1024 * 1024);
        boolean wholeGi = memKi % (1024 * 1024) == 0;
        if (millis % 1000 == 0 && wholeGi && gi == 4 * (millis / 1000)) {
            String size = switch ((int) (millis / 1000)) {
                case 2 -> "large";
                case 4 -> "xlarge";
                case 8 -> "2xlarge";
                case 16 -> "4xlarge";
                case 32 -> "8xlarge";
                case 48 -> "12xlarge";
                case 64 -> "16xlarge";
                case 96 -> "24xlarge";
                default -> null;
            };
            if (size != null) {
                return "m5." + size;
            }
        }
        String cpu = millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
        String mem = wholeGi ? gi + "Gi" : (memKi / 1024) + "Mi";
        return "custom-" + cpu + "cpu-" + mem;
    }

    private static BigDecimal parse(String flag, String value) {
        try {
            BigDecimal amount = Quantity.getAmountInBytes(new Quantity(value));
            if (amount.signum() <= 0) {
                throw SkciException.invalidInput(flag + " must be positive, got '" + value + "'");
            }
            return amount;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw SkciException.invalidInput(flag + " is not a Kubernetes quantity: '" + value + "' (e.g. 8, 7500m, 32Gi)");
        }
    }
}
