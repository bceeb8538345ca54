package dev.skci.source;

import dev.skci.SkciException;

/**
 * A file people wrote that skci refuses: one line naming the file, where in it (a JSON pointer and, when
 * known, the line) and the problem. Invalid input (exit 2).
 */
public class SourceException extends SkciException {
    private final String pointer;
    private final Integer line;

    public SourceException(String file, String pointer, Integer line, String problem) {
        super(Kind.INVALID_INPUT, oneLine(file + ": " + where(pointer, line) + problem));
        this.pointer = pointer;
        this.line = line;
    }

    /** The same problem, reported by a more specific exception type. */
    protected SourceException(SourceException problem) {
        super(Kind.INVALID_INPUT, problem.getMessage(), problem);
        this.pointer = problem.pointer;
        this.line = problem.line;
    }

    /** {@code /events/3/ts (line 14): }, {@code line 3: }, or nothing. */
    private static String where(String pointer, Integer line) {
        if (pointer == null) {
            return line == null ? "" : "line " + line + ": ";
        }
        return (pointer.isEmpty() ? "the top level" : pointer) + (line == null ? "" : " (line " + line + ")") + ": ";
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    /** The JSON pointer of the offending value, or null for parse errors that only have a line. */
    public String pointer() {
        return pointer;
    }

    public Integer line() {
        return line;
    }
}
