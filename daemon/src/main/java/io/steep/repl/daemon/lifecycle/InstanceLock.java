package io.steep.repl.daemon.lifecycle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * One daemon per configuration: an OS file lock (released by the kernel when the process dies, so a crash
 * never leaves a stale lock and no PID is ever guessed) on {@code steep-repl.lock} in the audit spool
 * directory — two daemons sharing a spool would corrupt it, so that directory is exactly what must be guarded.
 * The file also holds the owner's PID for {@code status}; the lock covers a byte far past it, so the PID stays
 * readable on Windows, where locks are mandatory.
 */
public final class InstanceLock implements AutoCloseable {

    public static final String FILE = "steep-repl.lock";
    private static final long LOCK_POSITION = 1L << 20;

    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or says who has it. */
    public static InstanceLock acquire(Path dir) throws StartupException {
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock(LOCK_POSITION, 1, false);
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                OptionalLong pid = ownerPid(dir);
                throw new StartupException("another steep-repl instance is running with this configuration"
                        + (pid.isPresent() ? " (pid " + pid.getAsLong() + ")" : "") + "; lock " + dir.resolve(FILE)
                        + " is held. Stop it first, or give this instance its own repl.audit.spool_dir");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(false);
            return new InstanceLock(ch, lock);
        } catch (IOException e) {
            throw new StartupException("cannot use the lock file " + dir.resolve(FILE) + ": " + e.getMessage()
                    + " (repl.audit.spool_dir must be writable by the daemon)", e);
        }
    }

    /** Whether a live process holds the lock in {@code dir}. Does not create anything. */
    public static boolean isHeld(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            try {
                FileLock l = ch.tryLock(LOCK_POSITION, 1, false);
                if (l == null) {
                    return true;
                }
                l.release();
                return false;
            } catch (OverlappingFileLockException e) {
                return true; // held by this very JVM
            }
        } catch (IOException e) {
            return false;
        }
    }

    public static OptionalLong ownerPid(Path dir) {
        try {
            String s = Files.readString(dir.resolve(FILE), StandardCharsets.US_ASCII).strip();
            return s.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(s));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
