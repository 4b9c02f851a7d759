package io.steep.repl.daemon.aot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Puts a file written beside its target in the target's place so that a crash or a power cut leaves the old file
 * or the new one, whole: the new bytes reach the disk before the rename, and the rename before we go on. A
 * launcher cfg cut short by a crash would leave the installation unable to start at all. (The certificate files
 * do the same in certs.PemFiles, with their own modes and ACLs.)
 */
final class Durably {

    private Durably() {
    }

    static void replace(Path staged, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(staged, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
        }
        Path dir = target.toAbsolutePath().getParent();
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself
        } catch (IOException ignored) {
            // Windows cannot open a directory this way; NTFS journals the rename
        }
    }
}
