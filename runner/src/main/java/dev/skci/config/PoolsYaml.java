package dev.skci.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skci.cluster.PoolSpec;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes node pools as YAML people keep in their repository: a pools file ({@code kind: NodePools}, what
 * {@code skci nodes import} writes) or the {@code nodePools:} block of a config ({@code skci init}). Written by hand,
 * not by a YAML library, so that each pool can carry a comment and the output reads like what a person would write.
 */
public final class PoolsYaml {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A scalar YAML reads back as the same string without quotes. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");
    /** What YAML 1.1 resolves to a number or a date: ints, floats, 0x/0o/0b, sexagesimal, ISO dates. */
    private static final Pattern NUMBER_LIKE = Pattern.compile(
            "[-+]?([0-9][0-9_]*(\\.[0-9_]*)?([eE][-+]?[0-9]+)?|\\.[0-9]+([eE][-+]?[0-9]+)?|0[xob][0-9a-fA-F_]+|[0-9]+(:[0-5]?[0-9])+)"
                    + "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*");
    private static final List<String> YAML_WORDS = List.of("true", "false", "yes", "no", "on", "off", "null", "y", "n", "~");

    private PoolsYaml() {}

    /**
     * A pools file.
     *
     * @param header comment lines (without {@code #}) put first
     * @param notes a comment line per pool, or null
     */
    public static String file(List<PoolSpec> pools, List<String> header, List<String> notes) {
        StringBuilder b = new StringBuilder();
        for (String h : header) {
            b.append(h.isEmpty() ? "#" : "# " + h).append('\n');
        }
        b.append("apiVersion: ").append(SkciConfig.API_VERSION).append('\n');
        b.append("kind: ").append(ClusterConfig.POOLS_KIND).append('\n');
        b.append(block(pools, "", notes));
        return b.toString();
    }

    /** {@code nodePools:} and the list, every line starting with {@code indent}. */
    public static String block(List<PoolSpec> pools, String indent, List<String> notes) {
        StringBuilder b = new StringBuilder();
        b.append(indent).append("nodePools:\n");
        for (int i = 0; i < pools.size(); i++) {
            PoolSpec p = pools.get(i);
            String in = indent + "  ";
            if (notes != null && notes.get(i) != null) {
                b.append(in).append("# ").append(notes.get(i)).append('\n');
            }
            b.append(in).append("- name: ").append(scalar(p.name())).append('\n');
            String item = in + "  ";
            b.append(item).append("count: ").append(p.count()).append('\n');
            map(b, item, "capacity", p.capacity());
            map(b, item, "allocatable", p.allocatable());
            map(b, item, "labels", p.labels());
            if (!p.taints().isEmpty()) {
                b.append(item).append("taints:\n");
                for (PoolSpec.TaintSpec t : p.taints()) {
                    b.append(item).append("  - {key: ").append(scalar(t.key()));
                    if (t.value() != null) {
                        b.append(", value: ").append(scalar(t.value()));
                    }
                    b.append(", effect: ").append(t.effect()).append("}\n");
                }
            }
            if (!p.zones().isEmpty()) {
                b.append(item).append("zones: [");
                for (int z = 0; z < p.zones().size(); z++) {
                    b.append(z == 0 ? "" : ", ").append(scalar(p.zones().get(z)));
                }
                b.append("]\n");
            }
        }
        return b.toString();
    }

    private static void map(StringBuilder b, String indent, String key, Map<String, String> m) {
        if (m.isEmpty()) {
            return;
        }
        b.append(indent).append(key).append(":\n");
        m.forEach((k, v) -> b.append(indent).append("  ").append(scalar(k)).append(": ").append(value(key, v)).append('\n'));
    }

    /** Quantities may read as numbers (YAML's 8 is skci's "8"); labels are quoted when YAML would read them otherwise. */
    private static String value(String map, String v) {
        if (!map.equals("labels") && v.matches("[0-9]+(\\.[0-9]+)?")) {
            return v;
        }
        return scalar(v);
    }

    public static String scalar(String s) {
        if (PLAIN.matcher(s).matches() && !NUMBER_LIKE.matcher(s).matches() && !YAML_WORDS.contains(s.toLowerCase(java.util.Locale.ROOT))) {
            return s;
        }
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
