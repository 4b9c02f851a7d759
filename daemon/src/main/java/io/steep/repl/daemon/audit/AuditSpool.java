package io.steep.repl.daemon.audit;

import io.steep.repl.daemon.fs.DurableFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable queue between "an event happened" and "it is a row in audit_log". Every event is appended here
 * first (one JSON line, fsynced) and only then written to PostgreSQL, so an event survives a PostgreSQL outage
 * and a daemon crash alike.
 *
 * <p>Two files in the spool directory: {@code audit.jsonl} (append-only events) and {@code audit.offset} (how
 * many bytes of it are known to be in the database, replaced atomically and fsynced). Events after the offset
 * are pending and are delivered in file order. The only window for a duplicate — the row committed, the offset
 * not yet written — is closed by the writer, which checks for the event's id before inserting.
 *
 * <p>When everything is delivered the files are reset so the spool does not grow forever. A torn last line (a
 * crash in the middle of an append, never acknowledged to the caller) is cut off when the spool is opened.
 *
 * <p>A line that cannot be read back (damaged on disk, edited by hand) or an event PostgreSQL refuses must not
 * hold up every event behind it, nor be dropped: the writer moves it, byte for byte, to {@code audit.rejected.jsonl}
 * ({@link #reject}) before it commits past it, and logs why.
 */
public final class AuditSpool implements AutoCloseable {

    static final String LOG = "audit.jsonl";
    static final String OFFSET = "audit.offset";
    static final String REJECTED = "audit.rejected.jsonl";
    private static final int CHUNK = 64 * 1024;
    private static final long RESET_THRESHOLD = 0; // reset as soon as all is delivered: the file stays tiny

    private final Path dir;
    private FileChannel log;
    private long committed;
    private long size;
    private int pendingCount;
    /** Lines in {@link #REJECTED}: counted at open, bumped by {@link #reject}, reset once an operator removes it. */
    private volatile long rejectedCount;

    /**
     * A pending line and the file position just after it (the offset to commit once it is dealt with): its event,
     * or, for a line that cannot be read back, {@code event} null, the line's bytes and why it cannot be read.
     */
    public record Pending(AuditEvent event, long end, byte[] line, String problem) {

        Pending(AuditEvent event, long end) {
            this(event, end, null, null);
        }

        public boolean readable() {
            return event != null;
        }
    }

    public AuditSpool(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        log = FileChannel.open(dir.resolve(LOG), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        size = log.size();
        committed = readOffset();
        if (committed > size) {
            // the log was reset after everything was delivered, but the crash came before the offset followed
            committed = size;
        }
        cutTornTail();
        pendingCount = countLines(committed, size);
        Path rejected = dir.resolve(REJECTED);
        if (Files.isRegularFile(rejected)) {
            try (FileChannel f = FileChannel.open(rejected, StandardOpenOption.READ)) {
                rejectedCount = countLines(f, 0, f.size());
            }
        }
    }

    /** Lines kept in {@link #REJECTED} for an operator to look at. */
    public long rejectedCount() {
        return rejectedCount;
    }

    /** Notices that an operator has moved {@link #REJECTED} away or emptied it (a stat, off any request path). */
    public void refreshRejected() {
        if (rejectedCount > 0) {
            try {
                if (Files.size(dir.resolve(REJECTED)) == 0) {
                    rejectedCount = 0;
                }
            } catch (IOException e) {
                rejectedCount = 0; // moved away (NoSuchFileException), or no longer ours to read
            }
        }
    }

    public Path directory() {
        return dir;
    }

    /** Appends and fsyncs. When this returns the event is durable. */
    public synchronized void append(AuditEvent event) throws IOException {
        byte[] line = AuditJson.line(event);
        ByteBuffer buf = ByteBuffer.wrap(line);
        log.position(size);
        while (buf.hasRemaining()) {
            log.write(buf);
        }
        log.force(false);
        size += line.length;
        pendingCount++;
    }

    /** Up to {@code max} undelivered events, oldest first. */
    public synchronized List<Pending> readPending(int max) throws IOException {
        // Reads forward from the committed offset only as far as the batch needs, in chunks: a backlog of millions
        // of events (PostgreSQL down for days) costs one batch's worth of memory and I/O per batch, not the whole
        // backlog every time.
        List<Pending> out = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        long pos = committed;
        while (pos < size && out.size() < max) {
            buf.clear().limit((int) Math.min(CHUNK, size - pos));
            int n = log.read(buf, pos);
            if (n <= 0) {
                break;
            }
            byte[] b = buf.array();
            int start = 0;
            for (int i = 0; i < n && out.size() < max; i++) {
                if (b[i] == '\n') {
                    line.write(b, start, i - start);
                    out.add(pending(line.toByteArray(), pos + i + 1));
                    line.reset();
                    start = i + 1;
                }
            }
            line.write(b, start, n - start);
            pos += n;
        }
        return out;
    }

    private static Pending pending(byte[] line, long end) {
        try {
            return new Pending(AuditJson.event(line), end);
        } catch (IOException e) {
            return new Pending(null, end, line, e.getMessage());
        }
    }

    /**
     * Keeps a line (with or without its newline) the database will not get (unreadable, or refused by PostgreSQL)
     * in {@link #REJECTED}, appended and fsynced, so the spool can move past it without losing it. A crash between
     * this and the {@link #commit} after it only means the line is kept twice.
     */
    public synchronized void reject(byte[] line) throws IOException {
        try (FileChannel f = FileChannel.open(dir.resolve(REJECTED), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            boolean ended = line.length > 0 && line[line.length - 1] == '\n';
            ByteBuffer buf = ByteBuffer.allocate(line.length + (ended ? 0 : 1)).put(line);
            if (!ended) {
                buf.put((byte) '\n');
            }
            buf.flip();
            while (buf.hasRemaining()) {
                f.write(buf);
            }
            f.force(true);
        }
        DurableFiles.syncDirectory(dir); // a rejected file just created
        rejectedCount++;
    }

    /** Events between {@code from} and {@code to}, counted by their line ends, without parsing them. */
    private int countLines(long from, long to) throws IOException {
        return countLines(log, from, to);
    }

    private static int countLines(FileChannel log, long from, long to) throws IOException {
        int count = 0;
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        for (long pos = from; pos < to; ) {
            buf.clear().limit((int) Math.min(CHUNK, to - pos));
            int n = log.read(buf, pos);
            if (n <= 0) {
                break;
            }
            byte[] b = buf.array();
            for (int i = 0; i < n; i++) {
                if (b[i] == '\n') {
                    count++;
                }
            }
            pos += n;
        }
        return count;
    }

    /** Records that everything up to {@code end} is in the database (durably, before returning). */
    public synchronized void commit(long end, int events) throws IOException {
        writeOffset(end);
        committed = end;
        pendingCount = Math.max(0, pendingCount - events);
        if (committed == size && size > RESET_THRESHOLD) {
            // Order matters for crash safety: truncate first; a crash before the offset is rewritten leaves
            // offset > size, which the constructor reads as "all delivered".
            log.truncate(0);
            log.force(true);
            size = 0;
            writeOffset(0);
            committed = 0;
        }
    }

    /** Events appended but not yet in the database. */
    public synchronized int depth() {
        return pendingCount;
    }

    private void cutTornTail() throws IOException {
        if (size == 0) {
            return;
        }
        // the last newline, searched backwards in chunks: the tail is at most one torn line, the file can be huge
        long floor = Math.max(committed, 0);
        long goodEnd = floor;
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        search:
        for (long end = size; end > floor; ) {
            long from = Math.max(floor, end - CHUNK);
            buf.clear().limit((int) (end - from));
            log.read(buf, from);
            byte[] b = buf.array();
            for (int i = (int) (end - from) - 1; i >= 0; i--) {
                if (b[i] == '\n') {
                    goodEnd = from + i + 1;
                    break search;
                }
            }
            end = from;
        }
        if (goodEnd < size) {
            org.slf4j.LoggerFactory.getLogger(AuditSpool.class).warn(
                    "audit spool {}: dropping {} bytes of an incomplete last line (written during a crash, never acknowledged)",
                    dir.resolve(LOG), size - goodEnd);
            log.truncate(goodEnd);
            log.force(true);
            size = goodEnd;
        }
    }

    private long readOffset() throws IOException {
        Path f = dir.resolve(OFFSET);
        if (!Files.exists(f)) {
            return 0;
        }
        String s = Files.readString(f, StandardCharsets.US_ASCII).strip();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            // Replaying from 0 is safe (the writer skips events already in the database); losing events is not.
            org.slf4j.LoggerFactory.getLogger(AuditSpool.class).warn("audit spool offset {} unreadable ({}); replaying the whole spool", f, s);
            return 0;
        }
    }

    private void writeOffset(long value) throws IOException {
        Path tmp = dir.resolve(OFFSET + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(Long.toString(value).getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        DurableFiles.moveIntoPlace(tmp, dir.resolve(OFFSET));
    }

    @Override
    public synchronized void close() {
        try {
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
