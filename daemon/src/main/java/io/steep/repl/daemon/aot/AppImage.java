package io.steep.repl.daemon.aot;

import io.steep.repl.daemon.config.PlatformPaths;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a jpackage app image keeps what the AOT cache involves, from the path of its launcher. jpackage's layouts:
 * Linux {@code <root>/bin/steep-repl} with {@code <root>/lib/app/steep-repl.cfg}; macOS {@code
 * <root>/Contents/MacOS/steep-repl} with {@code <root>/Contents/app/}; Windows {@code <root>\steep-repl.exe} with
 * {@code <root>\app\}.
 *
 * <p>The cache sits in the app directory ({@code $APPDIR} in the cfg), except on Windows: there it sits beside the
 * launcher ({@code $BINDIR}, the installation directory), where the MSI can name it for removal — the MSI made it
 * at install time, so Windows Installer does not know the file, and jpackage's generated ids for the {@code app}
 * directory are nothing a WiX fragment can refer to.
 *
 * @param launcher    the launcher the cache is trained with and for
 * @param cfg         the launcher's jpackage configuration ({@code [JavaOptions]} gets the cache)
 * @param cache       the cache file
 * @param cfgCachePath the cache as the cfg names it, with jpackage's directory token
 */
public record AppImage(Path launcher, Path cfg, Path cache, String cfgCachePath) {

    public static AppImage of(Path launcher, PlatformPaths.Os os) {
        Path abs = launcher.toAbsolutePath().normalize();
        String file = abs.getFileName().toString();
        String name = os == PlatformPaths.Os.WINDOWS && file.toLowerCase(Locale.ROOT).endsWith(".exe")
                ? file.substring(0, file.length() - 4) : file;
        Path binDir = abs.getParent();
        if (binDir == null) {
            throw new IllegalArgumentException("a launcher path needs a directory: " + launcher);
        }
        return switch (os) {
            case LINUX -> inAppDir(abs, name, root(binDir, launcher).resolve("lib").resolve("app"));
            case MACOS -> inAppDir(abs, name, root(binDir, launcher).resolve("app"));
            case WINDOWS -> new AppImage(abs, binDir.resolve("app").resolve(name + ".cfg"),
                    binDir.resolve(name + ".aot"), "$BINDIR\\" + name + ".aot");
        };
    }

    private static AppImage inAppDir(Path launcher, String name, Path appDir) {
        return new AppImage(launcher, appDir.resolve(name + ".cfg"), appDir.resolve(name + ".aot"),
                "$APPDIR/" + name + ".aot");
    }

    private static Path root(Path binDir, Path launcher) {
        Path root = binDir.getParent();
        if (root == null) {
            throw new IllegalArgumentException("not a launcher inside an app image: " + launcher);
        }
        return root;
    }
}
