package dev.skci.cluster;

import dev.skci.SkciException;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Capacity and allocatable of a virtual node. Resources the user does not give an allocatable for are derived
 * the way a managed-Kubernetes kubelet reserves them (the EKS formulas): CPU 6% of the first core, 1% of the
 * second, 0.5% of the next two and 0.25% of the rest; memory 255Mi + 11Mi per pod plus a 100Mi eviction
 * threshold; 10% of ephemeral storage; pods and extended resources (nvidia.com/gpu, ...) are allocatable in
 * full. Realistic allocatable matters because the scheduler packs against it.
 */
public record NodeCapacity(Map<String, Quantity> capacity, Map<String, Quantity> allocatable, String instanceType) {

    private static final BigDecimal KI = BigDecimal.valueOf(1024);
    static final String DEFAULT_EPHEMERAL_STORAGE = "100Gi";
    static final int DEFAULT_PODS = 110;

    /** A problem with one resource of a pool; {@code resource} null means the pool as a whole. */
    public static final class Invalid extends IllegalArgumentException {
        private final String field;
        private final String resource;

        Invalid(String field, String resource, String message) {
            super(message);
            this.field = field;
            this.resource = resource;
        }

        /** {@code capacity} or {@code allocatable}. */
        public String field() {
            return field;
        }

        public String resource() {
            return resource;
        }
    }

    /** The shape of {@code --node-cpu/--node-memory/--node-pods}; a bad one is invalid input naming the flag. */
    public static NodeCapacity of(ClusterSpec.NodeShape shape) {
        if (shape.pods() < 1) {
            throw SkciException.invalidInput("--node-pods must be at least 1, got " + shape.pods());
        }
        try {
            return of(Map.of("cpu", shape.cpu(), "memory", shape.memory(), "pods", Integer.toString(shape.pods())), Map.of());
        } catch (Invalid e) {
            String flag = switch (e.resource() == null ? "" : e.resource()) {
                case "cpu" -> "--node-cpu";
                case "memory" -> "--node-memory";
                default -> "--node-pods";
            };
            if (e.resource() == null) {
                throw SkciException.invalidInput("a node of " + shape.cpu() + " CPU and " + shape.memory()
                        + " memory has nothing left after the kubelet's reservations; use a larger --node-cpu/--node-memory");
            }
            throw SkciException.invalidInput(flag + " " + e.getMessage());
        }
    }

    /** The nodes of a pool. */
    public static NodeCapacity of(PoolSpec pool) {
        NodeCapacity c = of(pool.capacity(), pool.allocatable());
        String type = pool.labels().get("node.kubernetes.io/instance-type");
        return type == null ? c : new NodeCapacity(c.capacity, c.allocatable, type);
    }

    /**
     * @param given resource name to quantity (cpu and memory required)
     * @param givenAllocatable allocatable the user fixed; the rest is derived
     * @throws Invalid naming the resource
     */
    static NodeCapacity of(Map<String, String> given, Map<String, String> givenAllocatable) {
        if (!given.containsKey("cpu")) {
            throw new Invalid("capacity", null, "needs cpu");
        }
        if (!given.containsKey("memory")) {
            throw new Invalid("capacity", null, "needs memory");
        }
        Map<String, BigDecimal> amounts = new LinkedHashMap<>();
        given.forEach((res, q) -> amounts.put(res, parse("capacity", res, q, !isExtended(res))));
        amounts.putIfAbsent("pods", BigDecimal.valueOf(DEFAULT_PODS));
        amounts.putIfAbsent("ephemeral-storage", Quantity.getAmountInBytes(new Quantity(DEFAULT_EPHEMERAL_STORAGE)));
        BigDecimal podsAmount = amounts.get("pods");
        if (podsAmount.signum() <= 0 || podsAmount.stripTrailingZeros().scale() > 0) {
            throw new Invalid("capacity", "pods", "must be a whole number of pods, at least 1, got '" + given.get("pods") + "'");
        }
        long pods = podsAmount.longValueExact();
        long millis = amounts.get("cpu").movePointRight(3).setScale(0, RoundingMode.DOWN).longValueExact();
        long memKi = amounts.get("memory").divide(KI, 0, RoundingMode.DOWN).longValueExact();
        long storageKi = amounts.get("ephemeral-storage").divide(KI, 0, RoundingMode.DOWN).longValueExact();
        long reservedMillis = reservedCpuMillis(millis);
        long reservedMemKi = (255L + 11L * pods + 100L) * 1024;

        Map<String, Quantity> capacity = new LinkedHashMap<>();
        Map<String, Quantity> allocatable = new LinkedHashMap<>();
        capacity.put("cpu", cpu(millis));
        capacity.put("memory", new Quantity(memKi + "Ki"));
        capacity.put("ephemeral-storage", new Quantity(storageKi + "Ki"));
        capacity.put("pods", new Quantity(Long.toString(pods)));
        allocatable.put("cpu", new Quantity((millis - reservedMillis) + "m"));
        allocatable.put("memory", new Quantity((memKi - reservedMemKi) + "Ki"));
        allocatable.put("ephemeral-storage", new Quantity((storageKi - storageKi / 10) + "Ki"));
        allocatable.put("pods", new Quantity(Long.toString(pods)));
        amounts.forEach((res, amount) -> {
            if (!capacity.containsKey(res)) {
                Quantity q = new Quantity(given.get(res).strip());
                capacity.put(res, q);
                allocatable.put(res, q);
            }
        });
        givenAllocatable.forEach((res, q) -> {
            if (!capacity.containsKey(res)) {
                throw new Invalid("allocatable", res, "has no capacity; list it under capacity too");
            }
            BigDecimal a = parse("allocatable", res, q, false);
            if (a.compareTo(Quantity.getAmountInBytes(capacity.get(res))) > 0) {
                throw new Invalid("allocatable", res, "is more than the capacity (" + q + " > " + capacity.get(res) + ")");
            }
            allocatable.put(res, new Quantity(q.strip()));
        });
        for (String res : new String[] {"cpu", "memory", "ephemeral-storage"}) {
            if (!givenAllocatable.containsKey(res) && Quantity.getAmountInBytes(allocatable.get(res)).signum() <= 0) {
                throw new Invalid("capacity", null, "has nothing left after the kubelet's reservations; give a larger capacity "
                        + "or an explicit allocatable");
            }
        }
        return new NodeCapacity(capacity, allocatable, instanceType(millis, memKi));
    }

    /** Extended resources ({@code vendor.com/name}) may be 0; the built-in ones must be positive. */
    static boolean isExtended(String resource) {
        return resource.contains("/") || resource.startsWith("hugepages-");
    }

    private static Quantity cpu(long millis) {
        return new Quantity(millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m");
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

    private static BigDecimal parse(String field, String resource, String value, boolean positive) {
        try {
            BigDecimal amount = Quantity.getAmountInBytes(new Quantity(value.strip()));
            if (positive ? amount.signum() <= 0 : amount.signum() < 0) {
                throw new Invalid(field, resource, "must be " + (positive ? "positive" : "zero or more") + ", got '" + value + "'");
            }
            return amount;
        } catch (IllegalArgumentException | ArithmeticException | NullPointerException e) {
            if (e instanceof Invalid i) {
                throw i;
            }
            throw new Invalid(field, resource, "is not a Kubernetes quantity: '" + value + "' (e.g. 8, 7500m, 32Gi)");
        }
    }
}
