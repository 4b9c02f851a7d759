package io.steep.repl.ipc.transport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Points junixsocket and JNA — the IPC transport's native parts — at the native libraries a distribution carries
 * unpacked in {@code lib/native/<platform>/} beside its jars ({@code shared-proto/src/main/ant/unpack-natives.xml},
 * run by the daemon's and the tray's builds, unpacks them from the very jars beside them), instead of letting each library
 * copy its own out of its jar at every start. Both programs call {@link #applyFromClassPath} first thing.
 *
 * <p>Why: junixsocket writes its library to the temp directory at every start and first lists the temp directory,
 * the home directory and the working directory for leftovers of earlier runs (~45 ms on a host with a busy
 * {@code /tmp}); JNA unpacks its dispatch library under {@code ~/.cache/JNA} and, on Linux, runs
 * {@code /sbin/ldconfig -p} to learn the system's library directories (~40 ms together). Loading
 * executable code from a world-writable directory at every start is also nothing a DBA should have to think about.
 *
 * <p>Every setting here is a fallback-safe hint: a property given with {@code -D} wins; a missing file (a platform
 * the build did not unpack, or running from the build's classes) leaves the library to its own loading; a file that
 * fails to load makes junixsocket and JNA fall back to their usual extraction.
 */
public final class BundledNativeLibraries {

    /** junixsocket loads this file first when set; not forced, so it falls back to extracting its own on failure. */
    static final String JUNIXSOCKET_OVERRIDE = "org.newsclub.net.unix.library.override";
    /** JNA looks for its dispatch library in these directories before unpacking the one in its jar. */
    static final String JNA_BOOT_PATH = "jna.boot.library.path";
    /** JNA's system library directories; when unset, JNA computes them on Linux by running {@code ldconfig -p}. */
    static final String JNA_PLATFORM_PATH = "jna.platform.library.path";

    private BundledNativeLibraries() {
    }

    /** A platform directory name, as JNA spells it (linux-x86-64, darwin-aarch64, win32-x86-64); null if not bundled. */
    public static String platform(String osName, String osArch) {
        String os = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
        String family = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "darwin" : os.startsWith("windows") ? "win32" : null;
        String arch = switch (osArch == null ? "" : osArch) {
            case "amd64", "x86_64" -> "x86-64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        return family == null || arch == null ? null : family + "-" + arch;
    }

    /**
     * Sets the properties for the libraries found in {@code libDir/native/<platform>}; {@code libDir} is the
     * directory holding the jars. Reads {@code os.name} and {@code os.arch} from {@code properties}.
     */
    public static void apply(Properties properties, Path libDir) {
        String platform = platform(properties.getProperty("os.name"), properties.getProperty("os.arch"));
        if (platform == null || libDir == null) {
            return;
        }
        Path dir = libDir.resolve("native").resolve(platform);
        String os = platform.substring(0, platform.indexOf('-'));
        String unixSocket = switch (os) {
            case "linux" -> "libjunixsocket-native.so";
            case "darwin" -> "libjunixsocket-native.dylib";
            default -> null; // Windows: named pipes, junixsocket is not used
        };
        if (unixSocket != null && Files.isRegularFile(dir.resolve(unixSocket))) {
            properties.putIfAbsent(JUNIXSOCKET_OVERRIDE, dir.resolve(unixSocket).toString());
        }
        String dispatch = switch (os) {
            case "linux" -> "libjnidispatch.so";
            case "darwin" -> "libjnidispatch.jnilib";
            default -> "jnidispatch.dll";
        };
        if (Files.isRegularFile(dir.resolve(dispatch))) {
            properties.putIfAbsent(JNA_BOOT_PATH, dir.toString());
        }
        if (os.equals("linux")) {
            // The directories JNA would list, without asking ldconfig for more: on Linux, only libc is loaded through
            // JNA (the socket file modes), found there on Debian/Ubuntu (multiarch) and RHEL-like (lib64) alike.
            String triple = (platform.endsWith("x86-64") ? "x86_64" : "aarch64") + "-linux-gnu";
            properties.putIfAbsent(JNA_PLATFORM_PATH,
                    String.join(":", "/usr/lib/" + triple, "/lib/" + triple, "/usr/lib64", "/lib64", "/usr/lib", "/lib"));
        }
    }

    /**
     * {@link #apply} for the distribution this JVM runs from: the directory of this module's jar on the class path
     * (every launcher — the plain distributions', the installers', the Windows service — puts it there; {@code lib/*}
     * is expanded by the JVM). Nothing happens when running from a build's classes. A value given with -D wins.
     */
    public static void applyFromClassPath(Properties properties) {
        apply(properties, jarDirectory(properties.getProperty("java.class.path")));
    }

    /** The directory of the {@code shared-proto} jar on {@code classPath}, or null. */
    static Path jarDirectory(String classPath) {
        if (classPath == null) {
            return null;
        }
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            Path name = p.getFileName();
            if (name != null && name.toString().startsWith("shared-proto-") && name.toString().endsWith(".jar")) {
                return p.toAbsolutePath().getParent();
            }
        }
        return null;
    }
}
