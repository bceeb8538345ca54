package dev.skci.trace.json;

import dev.skci.source.SourceException;

/**
 * A source that {@code skci trace import} refuses: one line naming the file, where in it (a JSON
 * pointer and, when known, the line) and the problem.
 */
public final class TraceImportException extends SourceException {
    public TraceImportException(String file, String pointer, Integer line, String problem) {
        super(file, pointer, line, problem);
    }

    TraceImportException(SourceException problem) {
        super(problem);
    }
}
