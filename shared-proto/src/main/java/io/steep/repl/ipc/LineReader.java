package io.steep.repl.ipc;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads {@code \n}-terminated lines of at most {@link IpcJson#MAX_LINE_BYTES} bytes without ever holding more
 * than the limit in memory. A read that times out ({@link java.net.SocketTimeoutException}) keeps what was read
 * so far, so the caller may simply call {@link #next()} again.
 */
public final class LineReader {

    /** One read outcome. */
    public sealed interface Line permits Complete, TooLong, Unterminated, End {
    }

    /** A full line, newline (and a trailing {@code \r}) removed. */
    public record Complete(byte[] bytes) implements Line {
    }

    /** The line grew past the limit; the reader is unusable afterwards (the rest of the line was not consumed). */
    public record TooLong(int limit) implements Line {
    }

    /** The stream ended in the middle of a line. */
    public record Unterminated(byte[] bytes) implements Line {
    }

    /** The stream ended cleanly between lines. */
    public record End() implements Line {
    }

    private final InputStream in;
    private final int limit;
    private final byte[] chunk = new byte[8192];
    private int chunkPos;
    private int chunkLen;
    private byte[] line = new byte[256];
    private int lineLen;

    public LineReader(InputStream in) {
        this(in, IpcJson.MAX_LINE_BYTES);
    }

    public LineReader(InputStream in, int limit) {
        this.in = in;
        this.limit = limit;
    }

    public Line next() throws IOException {
        while (true) {
            while (chunkPos < chunkLen) {
                byte b = chunk[chunkPos++];
                if (b == '\n') {
                    int n = lineLen;
                    if (n > 0 && line[n - 1] == '\r') {
                        n--;
                    }
                    byte[] out = Arrays.copyOf(line, n);
                    lineLen = 0;
                    return new Complete(out);
                }
                if (lineLen == limit) {
                    return new TooLong(limit);
                }
                if (lineLen == line.length) {
                    line = Arrays.copyOf(line, Math.min(limit, line.length * 2));
                }
                line[lineLen++] = b;
            }
            int n = in.read(chunk, 0, chunk.length);
            if (n < 0) {
                if (lineLen == 0) {
                    return new End();
                }
                byte[] out = Arrays.copyOf(line, lineLen);
                lineLen = 0;
                return new Unterminated(out);
            }
            chunkPos = 0;
            chunkLen = n;
        }
    }
}
