package io.steep.repl.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The steep_repl extension files under test, laid out the way PG 18's {@code extension_control_path}
 * wants them: a directory that contains an {@code extension/} folder with the control and SQL files.
 * They are copied from the classpath (the extension module's resources, or its jar in other modules), so
 * the server always loads exactly the files this build produced.
 */
public final class ExtensionFiles {

    /** Where the files sit inside the extension module's jar. */
    public static final String RESOURCE_DIR = "steep_repl/extension/";
    public static final List<String> FILES = List.of("steep_repl.control", "steep_repl--0.1.0.sql");

    private ExtensionFiles() {
    }

    /** Copies the files below {@code root/extension/} and returns {@code root}. */
    public static Path layOut(Path root) {
        Path dir = root.resolve("extension");
        try {
            Files.createDirectories(dir);
            for (String file : FILES) {
                try (InputStream in = ExtensionFiles.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file)) {
                    if (in == null) {
                        throw new IllegalStateException("extension file " + RESOURCE_DIR + file
                                + " is not on the test classpath; build the extension module first (./mvnw -pl extension install)");
                    }
                    Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    /**
     * The value for {@code extension_control_path}: the built-in directory first, then ours. On Linux/macOS
     * quoted for the trip through {@code pg_ctl -o}, which hands the options to {@code /bin/sh} that would
     * otherwise expand {@code $system} to nothing. On Windows pg_ctl goes through {@code cmd.exe}, which neither
     * expands {@code $} nor strips single quotes (the server would see them), and the list separator is
     * {@code ;} (a drive letter has a colon).
     */
    public static String controlPathSetting(Path root) {
        return controlPathSetting(root, System.getProperty("os.name", ""));
    }

    static String controlPathSetting(Path root, String osName) {
        return osName.startsWith("Windows")
                ? "$system;" + root.toAbsolutePath()
                : "'$system:" + root.toAbsolutePath() + "'";
    }
}
