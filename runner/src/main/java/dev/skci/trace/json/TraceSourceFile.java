package dev.skci.trace.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads the JSON or YAML source of {@code skci trace import} into a tree: integers as int, long or
 * BigInteger, floats as double, keys in file order, duplicate keys refused. It can also find the line
 * of a JSON pointer afterwards (by reading the file again), so messages can name both.
 */
final class TraceSourceFile {
    /** Deeper than the msgpack reader accepts (512) so that limit is reported with a pointer. */
    private static final int MAX_NESTING = 1000;

    private final Path path;
    private final JsonFactory factory;

    private TraceSourceFile(Path path, JsonFactory factory) {
        this.path = path;
        this.factory = factory;
    }

    static TraceSourceFile of(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        return new TraceSourceFile(path, name.endsWith(".json") ? jsonFactory() : yamlFactory());
    }

    String name() {
        return path.toString();
    }

    private static JsonFactory jsonFactory() {
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING)
                        .maxStringLength(Integer.MAX_VALUE).build())
                .build();
        f.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return f;
    }

    private static JsonFactory yamlFactory() {
        LoaderOptions opts = new LoaderOptions();
        opts.setCodePointLimit(Integer.MAX_VALUE); // SnakeYAML stops at 3 MB by default; exported traces are bigger
        opts.setNestingDepthLimit(MAX_NESTING);
        opts.setAllowDuplicateKeys(false);
        YAMLFactory f = YAMLFactory.builder()
                .loaderOptions(opts)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING)
                        .maxStringLength(Integer.MAX_VALUE).build())
                .build();
        f.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return f;
    }

    /** The whole document as a tree; throws {@link TraceImportException} with the line for syntax errors. */
    JsonNode read() {
        if (Files.isDirectory(path)) {
            throw new TraceImportException(name(), null, null, "is a directory; give a .json or .yaml file");
        }
        if (!Files.isRegularFile(path)) {
            throw new TraceImportException(name(), null, null, "no such file");
        }
        ObjectMapper mapper = new ObjectMapper(factory);
        try (JsonParser p = factory.createParser(path.toFile())) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new TraceImportException(name(), null, null, "is empty; expected a JSON or YAML trace source");
            }
            JsonNode root = mapper.readTree(p);
            if (p.nextToken() != null) {
                throw new TraceImportException(name(), null, p.currentLocation().getLineNr(),
                        "more than one document; a trace source is exactly one JSON value or YAML document");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new TraceImportException(name(), null, at == null || at.getLineNr() < 1 ? null : at.getLineNr(),
                    "cannot parse: " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new TraceImportException(name(), null, null, "cannot read: " + e.getMessage());
        } catch (RuntimeException e) {
            // SnakeYAML reports some limits (nesting, aliases, code points) with its own unchecked exceptions.
            if (e instanceof TraceImportException t) {
                throw t;
            }
            throw new TraceImportException(name(), null, null, "cannot parse: " + oneLine(String.valueOf(e.getMessage())));
        }
    }

    /** The line where the value at {@code pointer} starts, or null when it cannot be found. */
    Integer lineOf(String pointer) {
        try (JsonParser p = factory.createParser(path.toFile())) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME || t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    continue;
                }
                String here = (t.isStructStart() ? p.getParsingContext().getParent() : p.getParsingContext())
                        .pathAsPointer().toString();
                if (here.equals(pointer)) {
                    int line = p.currentTokenLocation().getLineNr();
                    return line < 1 ? null : line;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Only a nicety for the message; the pointer is enough.
        }
        return null;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\n\\s*", " ").trim();
    }
}
