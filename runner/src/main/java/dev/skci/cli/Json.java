package dev.skci.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.trace.json.JsonStyle;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * How skci prints {@code --json} output: one pretty-printed JSON document per command run, two-space
 * indent, {@code "key": value}, fields in declaration order (records serialize their components in
 * order), nulls kept so the shape is the same every time.
 */
public final class Json {
    private Json() {}

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    /** The pretty printer skci uses for every JSON it writes for people and scripts. */
    public static DefaultPrettyPrinter prettyPrinter() {
        return JsonStyle.prettyPrinter();
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Prints {@code value} (a tree, a record, a map...) as one JSON document followed by a newline. */
    public static void print(PrintWriter out, Object value) {
        try {
            out.println(MAPPER.writer(prettyPrinter()).writeValueAsString(value));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
