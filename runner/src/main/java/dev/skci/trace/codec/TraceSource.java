package dev.skci.trace.codec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where trace bytes come from. Sources can be reopened, because reading a trace takes two passes (a
 * skim for the index and lifecycles that follow the events, then a streaming pass over the events).
 */
public interface TraceSource {
    /** How messages name this source: the path as the user gave it. */
    String name();

    long size();

    /** Opens the bytes at {@code offset}. */
    InputStream open(long offset) throws IOException;

    static TraceSource of(Path path) {
        // Every unreadable-trace message names the file and a byte offset, even when nothing was read.
        String name = path.toString();
        if (Files.isDirectory(path)) {
            throw new TraceFormatException(name, 0, "is a directory, not a trace file; give a .sktrace file");
        }
        if (!Files.exists(path)) {
            throw new TraceFormatException(name, 0, "no such file");
        }
        if (!Files.isRegularFile(path)) {
            throw new TraceFormatException(name, 0, "not a regular file; give a .sktrace file");
        }
        if (!Files.isReadable(path)) {
            throw new TraceFormatException(name, 0, "not readable; check its permissions");
        }
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw new TraceFormatException(name, 0, "cannot read: " + e.getMessage());
        }
        return new TraceSource() {
            @Override
            public String name() {
                return path.toString();
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open(long offset) throws IOException {
                InputStream in = Files.newInputStream(path);
                in.skipNBytes(offset);
                return in;
            }
        };
    }

    static TraceSource of(String name, byte[] bytes) {
        return new TraceSource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public InputStream open(long offset) {
                return new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset);
            }
        };
    }
}
