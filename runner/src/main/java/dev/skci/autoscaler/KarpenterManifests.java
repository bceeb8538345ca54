package dev.skci.autoscaler;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.skci.source.SourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the NodePool and KWOKNodeClass manifests a config names: files, or directories of {@code .yaml}, {@code .yml}
 * and {@code .json} files (in name order), each with any number of YAML documents. Anything that is not one of those
 * two kinds, a nameless object or a name given twice is invalid input naming the file and the document's line.
 */
public final class KarpenterManifests {
    public static final String NODE_POOL = "NodePool";
    public static final String NODE_POOL_API = "karpenter.sh/v1";
    public static final String NODE_CLASS = "KWOKNodeClass";
    public static final String NODE_CLASS_GROUP = "karpenter.kwok.sh";
    public static final String NODE_CLASS_API = NODE_CLASS_GROUP + "/v1alpha1";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

    /** What the files held, by kind. */
    public record Read(List<Manifest> nodePools, List<Manifest> nodeClasses) {}

    private KarpenterManifests() {}

    /** @param key the config key that named the files, for messages ({@code nodePools}) */
    public static Read read(List<Path> paths, String key) {
        List<Manifest> pools = new ArrayList<>();
        List<Manifest> classes = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Path given : paths) {
            for (Path file : files(given, key)) {
                for (Manifest m : documents(file)) {
                    String kind = m.kind();
                    String api = m.object().path("apiVersion").asText();
                    boolean pool = kind.equals(NODE_POOL) && api.equals(NODE_POOL_API);
                    boolean nodeClass = kind.equals(NODE_CLASS) && api.equals(NODE_CLASS_API);
                    if (!pool && !nodeClass) {
                        throw problem(m, "expected a NodePool (" + NODE_POOL_API + ") or a KWOKNodeClass (" + NODE_CLASS_API
                                + "), found " + (api.isEmpty() && kind.isEmpty() ? "an object without apiVersion and kind"
                                : api + " " + kind));
                    }
                    if (m.name().isEmpty()) {
                        throw problem(m, kind + " without metadata.name");
                    }
                    String earlier = seen.putIfAbsent(kind + "/" + m.name(), m.where());
                    if (earlier != null) {
                        throw problem(m, kind + " " + m.name() + " is also defined at " + earlier + "; give each a name of its own");
                    }
                    (pool ? pools : classes).add(m);
                }
            }
        }
        return new Read(pools, classes);
    }

    static SourceException problem(Manifest m, String what) {
        int colon = m.where().lastIndexOf(':');
        return new SourceException(m.where().substring(0, colon), null, Integer.parseInt(m.where().substring(colon + 1)), what);
    }

    private static List<Path> files(Path given, String key) {
        if (Files.isRegularFile(given)) {
            return List.of(given);
        }
        if (!Files.isDirectory(given)) {
            throw new SourceException(given.toString(), null, null, "no such file or directory (named by " + key + ")");
        }
        try (Stream<Path> s = Files.list(given)) {
            List<Path> files = s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
            }).sorted().toList();
            if (files.isEmpty()) {
                throw new SourceException(given.toString(), null, null, "holds no .yaml, .yml or .json files (named by " + key + ")");
            }
            return files;
        } catch (IOException e) {
            throw new SourceException(given.toString(), null, null, "cannot read: " + e.getMessage());
        }
    }

    /** Every non-empty document of a file, with the line it starts on. */
    static List<Manifest> documents(Path file) {
        List<Manifest> out = new ArrayList<>();
        try (JsonParser p = YAML.getFactory().createParser(file.toFile())) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                int line = p.currentTokenLocation().getLineNr();
                JsonNode n = YAML.readTree(p);
                if (t == JsonToken.VALUE_NULL || n == null || n.isMissingNode() || n.isNull()) {
                    continue; // an empty document between two separators
                }
                if (!(n instanceof ObjectNode o)) {
                    throw new SourceException(file.toString(), null, line, "expected a Kubernetes object, found " + n.getNodeType());
                }
                out.add(new Manifest(file + ":" + line, o));
            }
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new SourceException(file.toString(), null, at == null || at.getLineNr() < 1 ? null : at.getLineNr(),
                    "cannot parse: " + e.getOriginalMessage().replaceAll("\\s*\\n\\s*", " "));
        } catch (IOException e) {
            throw new SourceException(file.toString(), null, null, "cannot read: " + e.getMessage());
        }
        return out;
    }
}
