package dev.skci.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.skci.autoscaler.KarpenterManifests;
import dev.skci.autoscaler.KarpenterPlan;
import dev.skci.autoscaler.KarpenterSpec;
import dev.skci.autoscaler.Manifest;
import dev.skci.override.Patch;
import dev.skci.override.OverrideReader;
import dev.skci.setup.SetupManifests;
import dev.skci.setup.SetupObject;
import dev.skci.source.SourceException;
import dev.skci.source.SourceFile;
import dev.skci.verdict.Check;
import dev.skci.verdict.Expectation;
import dev.skci.verdict.cel.Expressions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code skci.yaml}: YAML (or JSON), validated against the schema shipped in the repository for
 * editors (the same file, inside the jar), then bound to {@link SkciConfig} with every CEL expression
 * compiled. Any problem is invalid input with the file, the line and what is wrong, found before any
 * cluster work.
 */
public final class ConfigFile {
    static final String SCHEMA_RESOURCE = "/dev/skci/schema/skci-config.schema.json";
    private static final Schema SCHEMA = loadSchema();

    private ConfigFile() {}

    private static Schema loadSchema() {
        try (InputStream in = ConfigFile.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the runner jar");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SkciConfig load(Path file) {
        SourceFile source = SourceFile.of(file, "skci config");
        JsonNode root = source.read();
        List<Error> errors = new ArrayList<>(SCHEMA.validate(root));
        if (!errors.isEmpty()) {
            // The deepest error is the real one: a broken item also leaves its parents' keys "unevaluated".
            Error first = errors.stream().max(Comparator.comparingInt((Error e) -> pointer(e).split("/").length)
                    .thenComparing(ConfigFile::pointer, Comparator.reverseOrder())).orElseThrow();
            String pointer = pointer(first);
            throw new SourceException(source.name(), pointer, source.lineOf(pointer), problem(first));
        }
        Path dir = file.toAbsolutePath().getParent();
        Path cwd = Path.of("").toAbsolutePath();
        Settings binder = new Settings(source, dir, new SetupManifests(source, dir, cwd), new OverrideReader(source, dir, cwd));
        SkciConfig.Settings global = binder.settings(root, "");
        List<SkciConfig.Entry> entries = new ArrayList<>();
        JsonNode sims = root.path("simulations");
        for (int i = 0; i < sims.size(); i++) {
            JsonNode s = sims.get(i);
            String at = "/simulations/" + i;
            entries.add(new SkciConfig.Entry(shown(cwd, dir.resolve(s.get("trace").asText()).normalize()), binder.settings(s, at),
                    source.name() + ":" + source.lineOf(at)));
        }
        return new SkciConfig(Optional.of(file), global, entries);
    }

    /** The JSON pointer of the value an error is about (for "unknown key" errors, the key itself). */
    static String pointer(Error e) {
        StringBuilder b = new StringBuilder();
        var path = e.getInstanceLocation();
        for (int i = 0; i < path.getNameCount(); i++) {
            b.append('/').append(String.valueOf(path.getElement(i)).replace("~", "~0").replace("/", "~1"));
        }
        String keyword = e.getKeyword();
        if (("additionalProperties".equals(keyword) || "unevaluatedProperties".equals(keyword)) && e.getProperty() != null) {
            b.append('/').append(e.getProperty());
        }
        return b.toString();
    }

    /** The validator's message without the location it starts with (the exception names it). */
    static String problem(Error e) {
        String m = e.getMessage();
        int colon = m.indexOf(": ");
        String text = m.startsWith("$") && colon > 0 ? m.substring(colon + 2) : m;
        if ("unevaluatedProperties".equals(e.getKeyword()) || "additionalProperties".equals(e.getKeyword())) {
            return "unknown key '" + e.getProperty() + "' (docs/config.md lists every key)";
        }
        return text;
    }

    /**
     * Validates a list of pools from a pools file against the schema's pools, as if it were a config's
     * {@code cluster.nodePools}; problems name {@code at} in that file.
     */
    static void validatePools(SourceFile source, JsonNode pools, String at) {
        var wrapped = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        wrapped.put("apiVersion", SkciConfig.API_VERSION).put("kind", SkciConfig.KIND);
        wrapped.putObject("cluster").set("nodePools", pools);
        List<Error> errors = new ArrayList<>(SCHEMA.validate(wrapped));
        errors.removeIf(e -> !pointer(e).startsWith("/cluster/nodePools/"));
        if (!errors.isEmpty()) {
            Error first = errors.stream().max(Comparator.comparingInt((Error e) -> pointer(e).split("/").length)
                    .thenComparing(ConfigFile::pointer, Comparator.reverseOrder())).orElseThrow();
            String pointer = at + pointer(first).substring("/cluster/nodePools".length());
            throw new SourceException(source.name(), pointer, source.lineOf(pointer), problem(first));
        }
    }

    /** Binds the keys every level shares. */
    private record Settings(SourceFile source, Path dir, SetupManifests setup, OverrideReader overrides) {
        SkciConfig.Settings settings(JsonNode n, String at) {
            Optional<Double> speed = Optional.empty();
            if (n.has("speed")) {
                JsonNode s = n.get("speed");
                speed = Optional.of(s.isNumber() ? s.doubleValue() : Double.POSITIVE_INFINITY);
            }
            var duration = n.has("duration") ? Optional.of(parseDuration(n.get("duration").asText(), at + "/duration"))
                    : Optional.<java.time.Duration>empty();
            List<Expectation> expectations = new ArrayList<>();
            Set<String> names = new HashSet<>();
            JsonNode xs = n.path("expectations");
            for (int i = 0; i < xs.size(); i++) {
                JsonNode x = xs.get(i);
                String xat = at + "/expectations/" + i;
                String name = x.get("name").asText();
                if (!names.add(name)) {
                    throw new SourceException(source.name(), xat + "/name", source.lineOf(xat + "/name"),
                            "expectation '" + name + "' is listed twice; names must be unique");
                }
                expectations.add(expectation(name, x.get("expr").asText(), x.path("message").asText(null),
                        x.path("severity").asText("fail"), source.name(), xat, source.lineOf(xat + "/expr")));
            }
            Map<String, String> off = new LinkedHashMap<>();
            n.path("defaultExpectations").properties().forEach(e -> off.put(e.getKey(), e.getValue().get("reason").asText()));
            Optional<Double> min = n.path("fidelity").has("minPodSeconds")
                    ? Optional.of(n.path("fidelity").get("minPodSeconds").doubleValue()) : Optional.empty();
            List<SetupObject> setupObjects = n.has("setup") ? setup.read(n.get("setup"), at + "/setup") : List.of();
            List<Patch> patches = n.has("overrides") ? overrides.read(n.get("overrides"), at + "/overrides") : List.of();
            return new SkciConfig.Settings(speed, duration, expectations, off, min, setupObjects, patches,
                    ClusterConfig.bind(source, dir, n.path("cluster"), at + "/cluster").withKarpenter(karpenter(n, at)));
        }

        /** {@code cluster.autoscaler.karpenter}: its manifests read and checked now, before any cluster work. */
        private Optional<KarpenterSpec> karpenter(JsonNode n, String at) {
            JsonNode k = n.path("cluster").path("autoscaler").path("karpenter");
            if (k.isMissingNode()) {
                return Optional.empty();
            }
            String kat = at + "/cluster/autoscaler/karpenter";
            KarpenterManifests.Read pools = KarpenterManifests.read(paths(k.path("nodePools")), "cluster.autoscaler.karpenter.nodePools");
            KarpenterManifests.Read classes = KarpenterManifests.read(paths(k.path("nodeClasses")),
                    "cluster.autoscaler.karpenter.nodeClasses");
            if (!classes.nodePools().isEmpty()) {
                throw new SourceException(source.name(), kat + "/nodeClasses", source.lineOf(kat + "/nodeClasses"),
                        "lists a file with a NodePool (" + classes.nodePools().getFirst().where() + "); NodePools go under nodePools");
            }
            if (pools.nodePools().isEmpty()) {
                throw new SourceException(source.name(), kat + "/nodePools", source.lineOf(kat + "/nodePools"),
                        "the files hold no NodePool (karpenter.sh/v1)");
            }
            List<Manifest> nodeClasses = new ArrayList<>(pools.nodeClasses());
            nodeClasses.addAll(classes.nodeClasses());
            Set<String> names = new HashSet<>();
            for (Manifest c : nodeClasses) {
                if (!names.add(c.name())) {
                    throw new SourceException(source.name(), kat, source.lineOf(kat), "KWOKNodeClass " + c.name()
                            + " is given twice (" + c.where() + ")");
                }
            }
            Optional<Path> types = Optional.empty();
            if (k.has("instanceTypes")) {
                Path t = dir.resolve(k.get("instanceTypes").asText()).normalize();
                if (!java.nio.file.Files.isRegularFile(t)) {
                    throw new SourceException(source.name(), kat + "/instanceTypes", source.lineOf(kat + "/instanceTypes"),
                            "no such file: " + t);
                }
                types = Optional.of(t);
            }
            KarpenterSpec spec = new KarpenterSpec(pools.nodePools(), nodeClasses, types,
                    k.has("batchIdleDuration") ? Optional.of(parseDuration(k.get("batchIdleDuration").asText(), kat + "/batchIdleDuration"))
                            : Optional.empty(),
                    k.has("batchMaxDuration") ? Optional.of(parseDuration(k.get("batchMaxDuration").asText(), kat + "/batchMaxDuration"))
                            : Optional.empty(),
                    Optional.ofNullable(source.lineOf(kat)).map(l -> source.name() + ":" + l).orElse(source.name()));
            KarpenterPlan.check(spec);
            return Optional.of(spec);
        }

        private List<Path> paths(JsonNode list) {
            List<Path> out = new ArrayList<>();
            list.forEach(f -> out.add(dir.resolve(f.asText()).normalize()));
            return out;
        }

        private java.time.Duration parseDuration(String text, String at) {
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw new SourceException(source.name(), at, source.lineOf(at), e.getMessage());
            }
        }
    }

    /**
     * An expectation, compiled. {@code file}, {@code pointer} and {@code line} say where it came from, for
     * the error of an expression that does not compile (its message is CEL's own).
     */
    static Expectation expectation(String name, String expr, String message, String severity, String file, String pointer,
            Integer line) {
        try {
            return new Expectation(name, Expressions.compile(expr), message,
                    "warn".equals(severity) ? Check.Severity.WARN : Check.Severity.FAIL,
                    line == null ? file : file + ":" + line);
        } catch (Expressions.InvalidExpression e) {
            throw new SourceException(file, pointer + "/expr", line, "expectation '" + name + "': " + e.getMessage());
        }
    }

    /**
     * A trace path as the reports show it: relative to the working directory when it lies below it (the way a user
     * spells it on the command line, so annotations read {@code traces/x.sktrace}), else absolute.
     */
    private static Path shown(Path cwd, Path trace) {
        return trace.startsWith(cwd) ? cwd.relativize(trace) : trace;
    }
}
