package dev.skci.trace.json;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

/** How skci indents the JSON it writes for people: two spaces, {@code "key": value}, {@code {}} and {@code []} when empty. */
public final class JsonStyle {
    private JsonStyle() {}

    public static DefaultPrettyPrinter prettyPrinter() {
        DefaultPrettyPrinter p = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""));
        DefaultIndenter indent = new DefaultIndenter("  ", "\n");
        p.indentObjectsWith(indent);
        p.indentArraysWith(indent);
        return p;
    }
}
