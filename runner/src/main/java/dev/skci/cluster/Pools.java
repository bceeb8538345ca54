package dev.skci.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a list of node pools for what a JSON Schema cannot say (quantities, label syntax, names skci
 * reserves, conflicts), and carries pools as JSON where a cluster remembers them. Every problem names where it
 * is, as a JSON pointer relative to the list ({@code /1/labels/type}), so the config reader can give its line.
 */
public final class Pools {
    /** At most this many virtual nodes in all (the pod CIDRs of 10.64.0.0/10 leave room for 16384). */
    public static final int MAX_NODES = 10_000;
    /** Keeps {@code skci-virtual-<pool>-<index>}, the node's hostname label, within 63 characters. */
    public static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]{0,38}[a-z0-9])?");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Pools() {}

    /** A pool that cannot be made, and where in the list. */
    public static final class Invalid extends IllegalArgumentException {
        private final String pointer;

        public Invalid(String pointer, String message) {
            super(message);
            this.pointer = pointer;
        }

        /** Relative to the list of pools, e.g. {@code /0/capacity/cpu}. */
        public String pointer() {
            return pointer;
        }
    }

    /** Throws {@link Invalid} for the first problem. */
    public static void check(List<PoolSpec> pools) {
        Set<String> names = new HashSet<>();
        long total = 0;
        for (int i = 0; i < pools.size(); i++) {
            PoolSpec p = pools.get(i);
            String at = "/" + i;
            if (!NAME.matcher(p.name()).matches()) {
                throw new Invalid(at + "/name", "pool name '" + p.name() + "' must be lower-case letters, digits and '-', start "
                        + "with a letter and be at most 40 characters");
            }
            if (!names.add(p.name())) {
                throw new Invalid(at + "/name", "pool '" + p.name() + "' is listed twice; pool names must be unique");
            }
            if (p.count() < 0) {
                throw new Invalid(at + "/count", "pool '" + p.name() + "': count must be 0 or more");
            }
            total += p.count();
            try {
                NodeCapacity.of(p);
            } catch (NodeCapacity.Invalid e) {
                String where = at + "/" + e.field() + (e.resource() == null ? "" : "/" + escape(e.resource()));
                throw new Invalid(where, "pool '" + p.name() + "': " + e.field() + (e.resource() == null ? "" : " " + e.resource())
                        + " " + e.getMessage());
            }
            for (String res : p.capacity().keySet()) {
                if (!res.equals("cpu") && !res.equals("memory") && !res.equals("pods") && !res.equals("ephemeral-storage")
                        && !res.startsWith("hugepages-") && !qualifiedName(res, true)) {
                    throw new Invalid(at + "/capacity/" + escape(res), "pool '" + p.name() + "': '" + res + "' is not a resource "
                            + "name: use cpu, memory, pods, ephemeral-storage, hugepages-<size> or an extended resource such as "
                            + "nvidia.com/gpu");
                }
            }
            for (Map.Entry<String, String> l : p.labels().entrySet()) {
                String key = l.getKey();
                String lat = at + "/labels/" + escape(key);
                if (!qualifiedName(key, false)) {
                    throw new Invalid(lat, "pool '" + p.name() + "': '" + key + "' is not a valid label key (an optional DNS "
                            + "prefix and '/', then at most 63 letters, digits, '-', '_' or '.')");
                }
                if (!labelValue(l.getValue())) {
                    throw new Invalid(lat, "pool '" + p.name() + "': label " + key + "='" + l.getValue() + "' is not a valid label "
                            + "value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)");
                }
                if (key.equals(SimNames.LABEL_NODE_TYPE) || key.equals(SimNames.LABEL_POOL)) {
                    throw new Invalid(lat, "pool '" + p.name() + "': label '" + key + "' is skci's own (it marks the virtual nodes "
                            + "simulated pods are sent to); use another key");
                }
                if (key.equals("kubernetes.io/hostname")) {
                    throw new Invalid(lat, "pool '" + p.name() + "': kubernetes.io/hostname is set per node (to the node's name)");
                }
                if (key.equals(ZONE_LABEL) && !p.zones().isEmpty()) {
                    throw new Invalid(lat, "pool '" + p.name() + "': give either zones or a " + ZONE_LABEL + " label, not both");
                }
            }
            Set<String> taintKeys = new HashSet<>();
            for (int t = 0; t < p.taints().size(); t++) {
                PoolSpec.TaintSpec taint = p.taints().get(t);
                String tat = at + "/taints/" + t;
                if (!qualifiedName(taint.key(), false)) {
                    throw new Invalid(tat + "/key", "pool '" + p.name() + "': '" + taint.key() + "' is not a valid taint key");
                }
                if (taint.value() != null && !labelValue(taint.value())) {
                    throw new Invalid(tat + "/value", "pool '" + p.name() + "': '" + taint.value() + "' is not a valid taint value");
                }
                if (!List.of("NoSchedule", "PreferNoSchedule", "NoExecute").contains(taint.effect())) {
                    throw new Invalid(tat + "/effect", "pool '" + p.name() + "': taint effect must be NoSchedule, PreferNoSchedule "
                            + "or NoExecute");
                }
                if (taint.key().equals(SimNames.TAINT_KWOK_PROVIDER)) {
                    throw new Invalid(tat + "/key", "pool '" + p.name() + "': the kwok-provider taint is skci's own; every virtual "
                            + "node has it already");
                }
                if (!taintKeys.add(taint.key() + ":" + taint.effect())) {
                    throw new Invalid(tat, "pool '" + p.name() + "': taint " + taint.key() + ":" + taint.effect() + " is listed twice");
                }
            }
            Set<String> zones = new HashSet<>();
            for (int z = 0; z < p.zones().size(); z++) {
                String zone = p.zones().get(z);
                if (!labelValue(zone) || zone.isEmpty()) {
                    throw new Invalid(at + "/zones/" + z, "pool '" + p.name() + "': '" + zone + "' is not a valid zone name (a label value)");
                }
                if (!zones.add(zone)) {
                    throw new Invalid(at + "/zones/" + z, "pool '" + p.name() + "': zone " + zone + " is listed twice");
                }
            }
        }
        if (total > MAX_NODES) {
            throw new Invalid("", "the pools have " + total + " nodes in all; at most " + MAX_NODES + " are supported");
        }
    }

    public static int total(List<PoolSpec> pools) {
        return pools.stream().mapToInt(PoolSpec::count).sum();
    }

    /** One line for progress messages: "3 pools, 12 nodes (general 6, gpu 2, spot 4)". */
    public static String describe(List<PoolSpec> pools) {
        StringBuilder b = new StringBuilder();
        b.append(pools.size()).append(pools.size() == 1 ? " pool, " : " pools, ").append(total(pools)).append(" node(s) (");
        for (int i = 0; i < pools.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(pools.get(i).name()).append(' ').append(pools.get(i).count());
        }
        return b.append(')').toString();
    }

    /** The pools as compact JSON, as a cluster remembers its default ({@link NodePool#decoyNode}). */
    public static String toJson(List<PoolSpec> pools) {
        try {
            return JSON.writeValueAsString(pools);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<PoolSpec> fromJson(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<PoolSpec>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a list of pools: " + e.getOriginalMessage(), e);
        }
    }

    /** A label key, or (with {@code resource}) an extended resource name: an optional DNS prefix, then a name. */
    static boolean qualifiedName(String key, boolean needsPrefix) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            return !needsPrefix && key.length() <= 63 && LABEL_NAME.matcher(key).matches();
        }
        String prefix = key.substring(0, slash);
        String name = key.substring(slash + 1);
        return prefix.length() <= 253 && DNS_SUBDOMAIN.matcher(prefix).matches() && name.length() <= 63
                && LABEL_NAME.matcher(name).matches();
    }

    static boolean labelValue(String v) {
        return v != null && (v.isEmpty() || v.length() <= 63 && LABEL_NAME.matcher(v).matches());
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
