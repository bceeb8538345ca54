package dev.skci.trace.json;

import dev.skci.SkciException;
import dev.skci.trace.OneLine;

/**
 * A source that {@code skci trace import} refuses: one line naming the file, where in it (a JSON
 * pointer and, when known, the line) and the problem.
 */
public final class TraceImportException extends SkciException {
    private final String pointer;

    public TraceImportException(String file, String pointer, Integer line, String problem) {
        super(Kind.INVALID_INPUT, OneLine.of(file + ": " + where(pointer, line) + problem));
        this.pointer = pointer;
    }

    /** {@code /events/3/ts (line 14): }, {@code line 3: }, or nothing. */
    private static String where(String pointer, Integer line) {
        if (pointer == null) {
            return line == null ? "" : "line " + line + ": ";
        }
        return (pointer.isEmpty() ? "the top level" : pointer) + (line == null ? "" : " (line " + line + ")") + ": ";
    }

    /** The JSON pointer of the offending value, or null for parse errors that only have a line. */
    public String pointer() {
        return pointer;
    }
}
