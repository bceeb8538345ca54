package dev.skci.source;

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
 * Reads a file people write (a trace source for {@code skci trace import}, {@code skci.yaml}) into a
 * tree: JSON or YAML by extension, integers as int, long or BigInteger, floats as double, keys in file
 * order, duplicate keys refused. It can also find the line of a JSON pointer afterwards (by reading the
 * file again), so messages can name both.
 */
public final class SourceFile {
    /** Deeper than the msgpack reader accepts (512) so that limit is reported with a pointer. */
    private static final int MAX_NESTING = 1000;

    private final Path path;
    private final JsonFactory factory;
    private final String what;

    private SourceFile(Path path, JsonFactory factory, String what) {
        this.path = path;
        this.factory = factory;
        this.what = what;
    }

    /** @param what what the file holds, for messages ("trace source", "skci config") */
    public static SourceFile of(Path path, String what) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        return new SourceFile(path, name.endsWith(".json") ? jsonFactory() : yamlFactory(), what);
    }

    public Path path() {
        return path;
    }

    public String name() {
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

    /** The whole document as a tree; throws {@link SourceException} with the line for syntax errors. */
    public JsonNode read() {
        return parse((p, mapper) -> {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new SourceException(name(), null, null, "is empty; expected a JSON or YAML " + what);
            }
            JsonNode root = mapper.readTree(p);
            if (p.nextToken() != null) {
                throw new SourceException(name(), null, p.currentLocation().getLineNr(),
                        "more than one document; a " + what + " is exactly one JSON value or YAML document");
            }
            return root;
        });
    }

    /**
     * Every document of a multi-document YAML file (or the one JSON value), in file order; empty documents
     * ({@code ---} with nothing after it) are left out. Syntax errors are thrown with their line.
     */
    public java.util.List<Document> readAll() {
        return parse((p, mapper) -> {
            java.util.List<Document> out = new java.util.ArrayList<>();
            int index = 0;
            while (p.nextToken() != null) {
                int line = p.currentTokenLocation().getLineNr();
                JsonNode n = mapper.readTree(p);
                boolean empty = n == null || n.isNull() || n.isMissingNode() || n.isTextual() && n.textValue().isEmpty();
                if (!empty) {
                    out.add(new Document(index, n, line < 1 ? null : line));
                }
                index++;
            }
            return out;
        });
    }

    private interface Body<T> {
        T read(JsonParser p, ObjectMapper mapper) throws IOException;
    }

    /** Opens the file and turns every way reading it can fail into one {@link SourceException} line. */
    private <T> T parse(Body<T> body) {
        if (Files.isDirectory(path)) {
            throw new SourceException(name(), null, null, "is a directory; give a .json or .yaml file");
        }
        if (!Files.isRegularFile(path)) {
            throw new SourceException(name(), null, null, "no such file");
        }
        ObjectMapper mapper = new ObjectMapper(factory);
        try (JsonParser p = factory.createParser(path.toFile())) {
            return body.read(p, mapper);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new SourceException(name(), null, at == null || at.getLineNr() < 1 ? null : at.getLineNr(),
                    "cannot parse: " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new SourceException(name(), null, null, "cannot read: " + e.getMessage());
        } catch (RuntimeException e) {
            // SnakeYAML reports some limits (nesting, aliases, code points) with its own unchecked exceptions.
            if (e instanceof SourceException t) {
                throw t;
            }
            throw new SourceException(name(), null, null, "cannot parse: " + oneLine(String.valueOf(e.getMessage())));
        }
    }

    /**
     * One document of a file: its position among the file's documents (empty ones counted), the tree, and
     * the line it starts on.
     */
    public record Document(int index, JsonNode tree, Integer line) {}

    /** The line where the value at {@code pointer} starts inside document {@code doc}, or null when it cannot be found. */
    public Integer lineOf(int doc, String pointer) {
        try (JsonParser p = factory.createParser(path.toFile())) {
            int index = -1;
            int keyLine = -1;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME) {
                    keyLine = p.currentTokenLocation().getLineNr();
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    continue;
                }
                var ctx = t.isStructStart() ? p.getParsingContext().getParent() : p.getParsingContext();
                if (ctx.inRoot()) {
                    index++;
                }
                if (index == doc && ctx.pathAsPointer().toString().equals(pointer)) {
                    // A YAML block map or list starts on the line after its key; people look for the key.
                    int line = t.isStructStart() && ctx.inObject() ? keyLine : p.currentTokenLocation().getLineNr();
                    return line < 1 ? null : line;
                }
                if (index > doc) {
                    return null;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Only a nicety for the message; the pointer is enough.
        }
        return null;
    }

    /** The line where the value at {@code pointer} starts, or null when it cannot be found. */
    public Integer lineOf(String pointer) {
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
