package io.steep.repl.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * File-mode assertions for tests that also run on Windows. Where the file system has POSIX modes (Linux, macOS)
 * the mode must match exactly; on Windows, which protects these files with owner-only ACLs instead (see
 * PemFilesTest#ownerOnlyAclHasOneAllowEntryForTheOwner), only the file's existence is checked.
 */
public final class PosixModes {

    private PosixModes() {
    }

    public static boolean supported(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Asserts {@code p}'s mode, e.g. {@code "rw-------"}, where the file system has modes. */
    public static void assertMode(Path p, String expected) throws IOException {
        assertThat(p).exists();
        if (supported(p)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)))
                    .as("mode of %s", p).isEqualTo(expected);
        }
    }
}
