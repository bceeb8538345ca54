package dev.skci.setup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.source.SourceException;
import dev.skci.source.SourceFile;
import dev.skci.trace.Gvk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the {@code setup:} list of skci.yaml: files or directories of manifests (a directory means the
 * {@code .yaml}, {@code .yml} and {@code .json} files directly inside it, by name), each file one or more
 * YAML documents, a {@code kind: List} standing for its items. Every object must say its apiVersion, kind
 * and metadata.name; anything else wrong is found by the API server's dry run after the gates. Problems
 * are invalid input naming the file and line.
 */
public final class SetupManifests {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

    private final SourceFile config;
    private final Path configDir;
    private final Path cwd;

    public SetupManifests(SourceFile config, Path configDir, Path cwd) {
        this.config = config;
        this.configDir = configDir;
        this.cwd = cwd;
    }

    /** The objects of the {@code setup:} list at {@code pointer} (schema-valid already), in order. */
    public List<SetupObject> read(JsonNode list, String pointer) {
        List<SetupObject> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = pointer + "/" + i;
            Path p = configDir.resolve(list.get(i).asText()).normalize();
            List<Path> files;
            if (Files.isDirectory(p)) {
                files = manifestsIn(p);
                if (files.isEmpty()) {
                    throw new SourceException(config.name(), at, config.lineOf(at), "the directory " + shown(p)
                            + " holds no .yaml, .yml or .json file");
                }
            } else if (Files.isRegularFile(p)) {
                files = List.of(p);
            } else {
                throw new SourceException(config.name(), at, config.lineOf(at), "no such file or directory: " + shown(p));
            }
            for (Path f : files) {
                out.addAll(file(f));
            }
        }
        return out;
    }

    private static List<Path> manifestsIn(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(f -> {
                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
            }).sorted().toList();
        } catch (IOException e) {
            throw new SourceException(dir.toString(), null, null, "cannot list the directory: " + e.getMessage());
        }
    }

    private List<SetupObject> file(Path f) {
        SourceFile source = SourceFile.of(f, "manifest");
        String shown = shown(f);
        List<SetupObject> out = new ArrayList<>();
        for (SourceFile.Document d : source.readAll()) {
            JsonNode doc = d.tree();
            if (doc.isObject() && doc.path("kind").asText("").equals("List") && doc.path("items").isArray()) {
                for (int i = 0; i < doc.get("items").size(); i++) {
                    out.add(object(doc.get("items").get(i), source, shown, d.index(), "/items/" + i));
                }
            } else {
                out.add(object(doc, source, shown, d.index(), ""));
            }
        }
        return out;
    }

    private SetupObject object(JsonNode n, SourceFile source, String shown, int doc, String at) {
        if (!(n instanceof ObjectNode o)) {
            throw problem(source, shown, doc, at, "a manifest is a Kubernetes object (a map with apiVersion, kind and metadata)");
        }
        String apiVersion = o.path("apiVersion").isTextual() ? o.get("apiVersion").textValue() : "";
        String kind = o.path("kind").isTextual() ? o.get("kind").textValue() : "";
        if (apiVersion.isEmpty() || apiVersion.split("/", -1).length > 2) {
            throw problem(source, shown, doc, at + "/apiVersion", "apiVersion is missing or not group/version");
        }
        if (kind.isEmpty()) {
            throw problem(source, shown, doc, at + "/kind", "kind is missing");
        }
        JsonNode meta = o.path("metadata");
        String name = meta.path("name").isTextual() ? meta.get("name").textValue() : null;
        if (name == null || name.isEmpty()) {
            throw problem(source, shown, doc, at + "/metadata", "metadata.name is missing (generateName is not enough: cleanup "
                    + "verifies each setup object by name)");
        }
        if (!NAME.matcher(name).matches() || name.length() > 253) {
            throw problem(source, shown, doc, at + "/metadata/name", "'" + name + "' is not a valid object name");
        }
        String namespace = null;
        if (meta.has("namespace")) {
            if (!meta.get("namespace").isTextual()) {
                throw problem(source, shown, doc, at + "/metadata/namespace", "metadata.namespace must be a string");
            }
            namespace = meta.get("namespace").textValue();
        }
        Gvk gvk = Gvk.of(apiVersion, kind);
        if (namespace != null && SetupKinds.knownClusterScoped(gvk)) {
            throw problem(source, shown, doc, at + "/metadata/namespace", kind + " is cluster-scoped; remove metadata.namespace");
        }
        if (gvk.group().isEmpty() && kind.equals("Node")) {
            throw problem(source, shown, doc, at + "/kind", "nodes are not setup: the simulation's virtual nodes come from --nodes");
        }
        if (kind.equals("SimulationRoot")) {
            throw problem(source, shown, doc, at + "/kind", "SimulationRoots are skci's own; remove it");
        }
        Integer line = source.lineOf(doc, at);
        return new SetupObject(o, gvk, namespace, name, line == null ? shown : shown + ":" + line);
    }

    private static SourceException problem(SourceFile source, String shown, int doc, String pointer, String message) {
        return new SourceException(shown, pointer.isEmpty() ? null : pointer, source.lineOf(doc, pointer), message);
    }

    private String shown(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
