package dev.skci.trace.codec;

import dev.skci.SkciException;
import dev.skci.trace.OneLine;

/** A trace file that cannot be read: names the file, the byte offset and the problem, on one line. */
public final class TraceFormatException extends SkciException {
    private final String source;
    private final long offset;
    private final String problem;

    public TraceFormatException(String source, long offset, String problem) {
        this(source, offset, problem, null);
    }

    public TraceFormatException(String source, long offset, String problem, Throwable cause) {
        super(Kind.INVALID_INPUT, OneLine.of(source + ": byte " + offset + ": " + problem), cause);
        this.source = source;
        this.offset = offset;
        this.problem = OneLine.of(problem);
    }

    public String source() {
        return source;
    }

    public long offset() {
        return offset;
    }

    public String problem() {
        return problem;
    }
}
