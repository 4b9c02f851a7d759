package io.steep.repl.daemon.aot;

import io.steep.repl.daemon.config.PlatformPaths.Os;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** jpackage's three layouts, from the launcher path (the property {@code jpackage.app-path}). */
class AppImageTest {

    @Test
    void linuxKeepsTheCacheInTheAppDirectory() {
        AppImage image = AppImage.of(Path.of("/opt/steep-repl/bin/steep-repl"), Os.LINUX);
        assertThat(image.cfg()).isEqualTo(Path.of("/opt/steep-repl/lib/app/steep-repl.cfg"));
        assertThat(image.cache()).isEqualTo(Path.of("/opt/steep-repl/lib/app/steep-repl.aot"));
        assertThat(image.cfgCachePath()).isEqualTo("$APPDIR/steep-repl.aot");
    }

    @Test
    void macosUsesTheBundlesContentsDirectories() {
        AppImage image = AppImage.of(Path.of("/Applications/steep-repl.app/Contents/MacOS/steep-repl"), Os.MACOS);
        assertThat(image.cfg()).isEqualTo(Path.of("/Applications/steep-repl.app/Contents/app/steep-repl.cfg"));
        assertThat(image.cache()).isEqualTo(Path.of("/Applications/steep-repl.app/Contents/app/steep-repl.aot"));
        assertThat(image.cfgCachePath()).isEqualTo("$APPDIR/steep-repl.aot");
    }

    @Test
    void windowsKeepsTheCacheBesideTheLauncherWhereTheMsiCanRemoveIt() {
        // a Windows path cannot be parsed on Linux; the layout is the same with '/'
        AppImage image = AppImage.of(Path.of("/c/Program Files/steep-repl/steep-repl.exe"), Os.WINDOWS);
        assertThat(image.cfg()).isEqualTo(Path.of("/c/Program Files/steep-repl/app/steep-repl.cfg"));
        assertThat(image.cache()).isEqualTo(Path.of("/c/Program Files/steep-repl/steep-repl.aot"));
        assertThat(image.cfgCachePath()).isEqualTo("$BINDIR\\steep-repl.aot");
    }

    @Test
    void relativeLaunchersAreResolvedAndAPathWithoutAnImageIsRefused() {
        assertThat(AppImage.of(Path.of("bin/steep-repl"), Os.LINUX).cfg())
                .isEqualTo(Path.of("lib/app/steep-repl.cfg").toAbsolutePath());
        assertThatThrownBy(() -> AppImage.of(Path.of("/steep-repl"), Os.LINUX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a launcher inside an app image");
    }
}
