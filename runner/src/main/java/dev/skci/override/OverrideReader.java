package dev.skci.override;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.skci.source.SourceException;
import dev.skci.source.SourceFile;
import dev.skci.trace.Gvk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code overrides:} entries of skci.yaml into {@link Patch}es, before any cluster work: the
 * patch files (relative to the config file) or inline patches, their form, their target. Every problem is
 * invalid input naming the file and line.
 */
public final class OverrideReader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> OPS = Set.of("add", "remove", "replace", "move", "copy", "test");

    private final SourceFile config;
    private final Path configDir;
    private final Path cwd;

    /**
     * @param configDir what {@code path:} is relative to
     * @param cwd what reports show paths relative to (when they lie below it)
     */
    public OverrideReader(SourceFile config, Path configDir, Path cwd) {
        this.config = config;
        this.configDir = configDir;
        this.cwd = cwd;
    }

    /** The overrides of one {@code overrides:} list at {@code pointer} (schema-valid already). */
    public List<Patch> read(JsonNode list, String pointer) {
        List<Patch> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.addAll(entry(list.get(i), pointer + "/" + i));
        }
        return out;
    }

    private List<Patch> entry(JsonNode e, String at) {
        boolean hasPath = e.has("path");
        if (hasPath == e.has("patch")) {
            throw problem(at, "give either path (a patch file) or patch (the patch itself), not " + (hasPath ? "both" : "neither"));
        }
        Optional<Target> target = e.has("target") ? Optional.of(target(e.get("target"), at + "/target")) : Optional.empty();
        List<Patch> out = new ArrayList<>();
        if (hasPath) {
            Path file = configDir.resolve(e.get("path").asText()).normalize();
            SourceFile source = SourceFile.of(file, "patch");
            String shown = shown(file);
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw problem(at + "/path", "the patch file " + shown + " does not exist");
            }
            List<SourceFile.Document> docs = source.readAll();
            if (docs.isEmpty()) {
                throw new SourceException(shown, null, null, "is empty; expected a strategic-merge patch or a list of JSON 6902 operations");
            }
            if (docs.size() > 1 && target.isPresent()) {
                throw problem(at + "/target", shown + " holds " + docs.size() + " patches; a target applies to a file of one patch");
            }
            for (SourceFile.Document d : docs) {
                String label = docs.size() > 1 ? shown + ":" + d.line() : shown;
                out.add(build(d.tree(), target, label, new Where(source, shown, d.index(), "")));
            }
            return out;
        }
        JsonNode patch = e.get("patch");
        String label = config.name() + ":" + config.lineOf(at);
        if (patch.isTextual()) {
            try {
                patch = YAML.readTree(patch.textValue());
            } catch (IOException x) {
                throw problem(at + "/patch", "the patch is not YAML: " + x.getMessage().lines().findFirst().orElse(""));
            }
            if (patch == null || patch.isNull() || patch.isMissingNode()) {
                throw problem(at + "/patch", "the patch is empty");
            }
            return List.of(build(patch, target, label, new Where(null, config.name(), 0, at + "/patch")));
        }
        return List.of(build(patch, target, label, new Where(config, config.name(), -1, at + "/patch")));
    }

    /** Where a patch's own problems are reported: a patch file's document, or a place in the config. */
    private record Where(SourceFile file, String name, int doc, String base) {}

    private Patch build(JsonNode patch, Optional<Target> target, String label, Where w) {
        if (patch instanceof ArrayNode ops) {
            if (target.isEmpty()) {
                throw at(w, "", "a JSON 6902 patch (a list of operations) needs a target: say which objects it patches");
            }
            for (int i = 0; i < ops.size(); i++) {
                checkOp(ops.get(i), w, "/" + i);
            }
            return new Patch(label, Patch.Form.JSON_6902, ops, target.get());
        }
        if (!(patch instanceof ObjectNode smp)) {
            throw at(w, "", "a patch is a partial object (strategic merge) or a list of JSON 6902 operations, not a "
                    + patch.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        ObjectNode body = smp.deepCopy();
        String apiVersion = body.path("apiVersion").asText(null);
        String kind = body.path("kind").asText(null);
        JsonNode meta = body.path("metadata");
        String name = meta.path("name").asText(null);
        String namespace = meta.path("namespace").asText(null);
        body.remove("apiVersion");
        body.remove("kind");
        if (body.get("metadata") instanceof ObjectNode m) {
            m.remove("name");
            m.remove("namespace");
            if (m.isEmpty()) {
                body.remove("metadata");
            }
        }
        if (body.has("status")) {
            throw at(w, "/status", "status is not replayed; a patch can change only what is applied");
        }
        Target t;
        if (target.isPresent()) {
            t = target.get();
        } else {
            if (apiVersion == null || kind == null || name == null) {
                throw at(w, "", "a strategic-merge patch without a target names the object it patches: give it apiVersion, kind and "
                        + "metadata.name (and metadata.namespace), or give the override a target");
            }
            t = Target.of(Gvk.of(apiVersion, kind), namespace, name);
        }
        if (body.isEmpty()) {
            throw at(w, "", "the patch changes nothing");
        }
        return new Patch(label, Patch.Form.STRATEGIC_MERGE, body, t);
    }

    private void checkOp(JsonNode op, Where w, String at) {
        if (!(op instanceof ObjectNode o)) {
            throw at(w, at, "a JSON 6902 operation is an object with op and path");
        }
        String name = o.path("op").asText(null);
        if (name == null || !OPS.contains(name)) {
            throw at(w, at + "/op", "op must be one of add, remove, replace, move, copy, test");
        }
        for (String f : o.has("from") ? List.of("path", "from") : List.of("path")) {
            JsonNode p = o.get(f);
            if (p == null || !p.isTextual() || !(p.textValue().isEmpty() || p.textValue().startsWith("/"))) {
                throw at(w, at + "/" + f, f + " must be a JSON pointer such as /spec/schedule");
            }
        }
        if (Set.of("add", "replace", "test").contains(name) && !o.has("value")) {
            throw at(w, at, "'" + name + "' needs a value");
        }
        if (Set.of("move", "copy").contains(name) && !o.has("from")) {
            throw at(w, at, "'" + name + "' needs from");
        }
    }

    private Target target(JsonNode t, String at) {
        return new Target(text(t, "group"), text(t, "version"), text(t, "kind"), text(t, "namespace"), text(t, "name"),
                selector(t, "labelSelector", at), selector(t, "annotationSelector", at));
    }

    /** A target field; an empty string matches anything, as in kustomize. */
    private static Optional<String> text(JsonNode t, String field) {
        return Optional.ofNullable(t.path(field).asText(null)).filter(s -> !s.isEmpty());
    }

    private Optional<LabelSelector> selector(JsonNode t, String field, String at) {
        String s = t.path(field).asText(null);
        if (s == null || s.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LabelSelector.parse(s));
        } catch (IllegalArgumentException e) {
            throw problem(at + "/" + field, e.getMessage());
        }
    }

    private SourceException problem(String pointer, String message) {
        return new SourceException(config.name(), pointer, config.lineOf(pointer), message);
    }

    private SourceException at(Where w, String pointer, String message) {
        if (w.file() == null) {
            // An inline patch given as a string: its own lines are not the config's.
            return problem(w.base(), message);
        }
        if (w.doc() < 0) {
            return problem(w.base() + pointer, message);
        }
        return new SourceException(w.name(), pointer.isEmpty() ? null : pointer, w.file().lineOf(w.doc(), pointer), message);
    }

    private String shown(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
