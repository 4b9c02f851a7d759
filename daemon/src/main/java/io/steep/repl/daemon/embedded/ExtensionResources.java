package io.steep.repl.daemon.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The steep_repl extension files shipped inside the daemon (the extension module's jar, resources under
 * {@code steep_repl/extension/}), laid out for PG 18's {@code extension_control_path}: a directory that
 * contains an {@code extension/} folder.
 */
public final class ExtensionResources {

    public static final String RESOURCE_DIR = "steep_repl/extension/";
    public static final List<String> FILES = List.of("steep_repl.control", "steep_repl--0.1.0.sql");

    private ExtensionResources() {
    }

    /** Copies the files below {@code root/extension/} (replacing older copies) and returns {@code root}. */
    public static Path layOut(Path root) throws IOException {
        Path dir = root.resolve("extension");
        Files.createDirectories(dir);
        for (String file : FILES) {
            try (InputStream in = ExtensionResources.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file)) {
                if (in == null) {
                    throw new IOException("extension file " + RESOURCE_DIR + file + " is missing from the daemon's class path "
                            + "(the lib/ directory of the distribution is incomplete)");
                }
                Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return root;
    }

    /**
     * The {@code extension_control_path} value: the server's own directory first, then ours. On Linux/macOS
     * single-quoted because zonky hands server options to {@code pg_ctl -o}, i.e. to a shell that would expand
     * {@code $system}. On Windows pg_ctl goes through {@code cmd.exe}, which expands no {@code $} and keeps single
     * quotes (the server would see them), and list entries are separated by {@code ;} (drive letters have a colon).
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
