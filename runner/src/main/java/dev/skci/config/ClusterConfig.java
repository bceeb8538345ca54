package dev.skci.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skci.SkciException;
import dev.skci.cluster.KubernetesVersions;
import dev.skci.cluster.PoolSpec;
import dev.skci.cluster.Pools;
import dev.skci.cluster.SchedulerConfig;
import dev.skci.source.SourceException;
import dev.skci.source.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds {@code cluster:} of skci.yaml (already valid against the schema): node pools (inline, or a pools file as
 * {@code skci nodes import} writes it), the scheduler's configuration file and the Kubernetes version. Paths are
 * relative to the config file. Everything that can be checked without a cluster is checked here, each problem naming
 * the file and line; the scheduler configuration itself is checked by the provider ({@code ClusterProvider.check}),
 * with kube-scheduler.
 */
public final class ClusterConfig {
    /** {@code kind} of a pools file. */
    public static final String POOLS_KIND = "NodePools";

    private ClusterConfig() {}

    static SkciConfig.Cluster bind(SourceFile source, Path dir, JsonNode n, String at) {
        if (n == null || n.isMissingNode()) {
            return SkciConfig.Cluster.NONE;
        }
        Optional<List<PoolSpec>> pools = Optional.empty();
        Optional<String> poolsWhere = Optional.empty();
        JsonNode np = n.get("nodePools");
        if (np != null && np.isArray()) {
            pools = Optional.of(pools(source, np, at + "/nodePools"));
            poolsWhere = Optional.of(source.name() + ":" + source.lineOf(at + "/nodePools"));
        } else if (np != null && np.isTextual()) {
            Path file = dir.resolve(np.asText()).normalize();
            if (!Files.isRegularFile(file)) {
                throw new SourceException(source.name(), at + "/nodePools", source.lineOf(at + "/nodePools"),
                        "node pools file " + np.asText() + " not found (looked for " + file + ")");
            }
            pools = Optional.of(loadPools(file));
            poolsWhere = Optional.of(file.toString());
        }
        Optional<SchedulerConfig> scheduler = Optional.empty();
        JsonNode sc = n.path("scheduler").get("config");
        if (sc != null) {
            String pointer = at + "/scheduler/config";
            Path file = dir.resolve(sc.asText()).normalize();
            try {
                scheduler = Optional.of(new SchedulerConfig(shown(file), Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new SourceException(source.name(), pointer, source.lineOf(pointer), "cannot read the scheduler configuration "
                        + sc.asText() + " (" + file + "): " + (Files.exists(file) ? e.getMessage() : "no such file"));
            }
        }
        Optional<String> version = Optional.empty();
        JsonNode v = n.get("kubernetesVersion");
        if (v != null) {
            try {
                version = Optional.of(KubernetesVersions.normalise(v.asText()));
            } catch (SkciException e) {
                throw new SourceException(source.name(), at + "/kubernetesVersion", source.lineOf(at + "/kubernetesVersion"), e.getMessage());
            }
        }
        return new SkciConfig.Cluster(pools, scheduler, version, poolsWhere, Optional.empty());
    }

    /**
     * A pools file ({@code apiVersion: skci.dev/v1alpha1}, {@code kind: NodePools}, {@code nodePools: [...]}), checked
     * against the config's schema for pools and by {@link Pools#check}.
     */
    public static List<PoolSpec> loadPools(Path file) {
        SourceFile source = SourceFile.of(file, "node pools file");
        JsonNode root = source.read();
        if (!root.isObject()) {
            throw new SourceException(source.name(), "", 1, "expected a mapping with apiVersion, kind: " + POOLS_KIND + " and nodePools");
        }
        if (!SkciConfig.API_VERSION.equals(root.path("apiVersion").asText(null))) {
            throw new SourceException(source.name(), "/apiVersion", source.lineOf("/apiVersion"), "apiVersion must be " + SkciConfig.API_VERSION);
        }
        if (!POOLS_KIND.equals(root.path("kind").asText(null))) {
            throw new SourceException(source.name(), "/kind", source.lineOf("/kind"), "kind must be " + POOLS_KIND);
        }
        root.properties().forEach(e -> {
            if (!List.of("apiVersion", "kind", "nodePools").contains(e.getKey())) {
                throw new SourceException(source.name(), "/" + e.getKey(), source.lineOf("/" + e.getKey()), "unknown key '" + e.getKey()
                        + "' (a pools file has apiVersion, kind and nodePools)");
            }
        });
        JsonNode list = root.get("nodePools");
        if (list == null || !list.isArray()) {
            throw new SourceException(source.name(), "/nodePools", source.lineOf("/nodePools"), "nodePools must be a list of pools");
        }
        ConfigFile.validatePools(source, list, "/nodePools");
        return pools(source, list, "/nodePools");
    }

    private static List<PoolSpec> pools(SourceFile source, JsonNode list, String at) {
        List<PoolSpec> out = new ArrayList<>();
        for (JsonNode p : list) {
            List<PoolSpec.TaintSpec> taints = new ArrayList<>();
            for (JsonNode t : p.path("taints")) {
                taints.add(new PoolSpec.TaintSpec(t.get("key").asText(), t.hasNonNull("value") ? t.get("value").asText() : null,
                        t.get("effect").asText()));
            }
            List<String> zones = new ArrayList<>();
            p.path("zones").forEach(z -> zones.add(z.asText()));
            out.add(new PoolSpec(p.get("name").asText(), p.get("count").asInt(), strings(p.path("capacity")), strings(p.path("allocatable")),
                    strings(p.path("labels")), taints, zones));
        }
        try {
            Pools.check(out);
        } catch (Pools.Invalid e) {
            String pointer = at + e.pointer();
            Integer line = source.lineOf(pointer);
            for (String up = pointer; line == null && up.lastIndexOf('/') > 0; ) {
                up = up.substring(0, up.lastIndexOf('/'));
                line = source.lineOf(up);
            }
            throw new SourceException(source.name(), pointer, line, e.getMessage());
        }
        // The readiness gates need a virtual node; an autoscaler that makes them would be the reason to allow none.
        if (Pools.total(out) == 0) {
            throw new SourceException(source.name(), at, source.lineOf(at), "the pools have no nodes (every count is 0); a simulation "
                    + "needs at least one virtual node");
        }
        return out;
    }

    /** A mapping of scalars as strings (a quantity or label value written as a number or boolean). */
    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        n.properties().forEach(e -> out.put(e.getKey(), e.getValue().isNumber() ? e.getValue().numberValue().toString() : e.getValue().asText()));
        return out;
    }

    /** A path as messages show it: relative to the working directory when below it. */
    private static Path shown(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs) : abs;
    }
}
