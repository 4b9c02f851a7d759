package io.steep.repl.daemon.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The last steps of writing a file so that a crash or a power cut leaves the old file or the new one, whole: the
 * new bytes reach the disk before a rename puts them in the target's place, and the rename reaches the disk before
 * the caller goes on. The callers write the staged file themselves (owner-only modes for keys, a plain file for the
 * audit spool's offset or a launcher cfg); what they share is here.
 */
public final class DurableFiles {

    private DurableFiles() {
    }

    /** Forces {@code staged} (already written and closed) to disk, then {@link #moveIntoPlace}. */
    public static void replace(Path staged, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(staged, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        moveIntoPlace(staged, target);
    }

    /**
     * Renames {@code staged}, whose bytes are on disk, over {@code target} — atomically where the file system can,
     * which it can within one directory — and makes the rename durable.
     */
    public static void moveIntoPlace(Path staged, Path target) throws IOException {
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Makes the directory's entries (a file created or renamed in it) durable, where the platform can. */
    public static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory as a channel (NTFS journals the rename), nor can some file systems;
            // the data itself is already on disk
        }
    }
}
