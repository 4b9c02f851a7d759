package io.steep.repl.daemon.aot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class LauncherCfgTest {

    /** As jpackage 25 writes it (shortened). */
    static final String JPACKAGE = """
            [Application]
            app.classpath=$APPDIR/steep-repl-daemon-0.1.0.jar
            app.mainclass=io.steep.repl.daemon.Main
            app.classpath=$APPDIR/HikariCP-7.0.2.jar
            app.classpath=$APPDIR/xz-1.11.jar

            [JavaOptions]
            java-options=-Djpackage.app-version=0.1.0
            java-options=-Xms16m
            java-options=--enable-native-access=ALL-UNNAMED
            """;

    static final String WITH_CACHE = JPACKAGE + """
            java-options=-XX:AOTCache=$APPDIR/steep-repl.aot
            java-options=-XX:+UnlockDiagnosticVMOptions
            java-options=-XX:-AOTReplayTraining
            """;

    @Test
    void theCacheGoesAtTheEndOfJavaOptionsAndComesOutAgainExactly() {
        LauncherCfg cfg = LauncherCfg.parse(JPACKAGE);
        assertThat(cfg.hasCache("$APPDIR/steep-repl.aot")).isFalse();
        LauncherCfg with = cfg.withCache("$APPDIR/steep-repl.aot");
        assertThat(with.text()).isEqualTo(WITH_CACHE);
        assertThat(with.hasCache("$APPDIR/steep-repl.aot")).isTrue();
        assertThat(with.hasCache("$BINDIR\\steep-repl.aot")).isFalse();
        assertThat(with.withCache("$APPDIR/steep-repl.aot").text()).as("idempotent").isEqualTo(WITH_CACHE);
        assertThat(with.withoutCache().text()).isEqualTo(JPACKAGE);
        assertThat(cfg.withoutCache().text()).isEqualTo(JPACKAGE);
    }

    @Test
    void anotherCachePathReplacesTheOldOneAndForeignOptionsStay() {
        String own = WITH_CACHE.replace("java-options=-Xms16m\n", "java-options=-Xms16m\njava-options=-XX:+UnlockDiagnosticVMOptions\n");
        LauncherCfg moved = LauncherCfg.parse(own).withCache("$APPDIR/other.aot");
        assertThat(moved.lines()).containsOnlyOnce("java-options=-XX:AOTCache=$APPDIR/other.aot")
                .doesNotContain("java-options=-XX:AOTCache=$APPDIR/steep-repl.aot");
        // the administrator's own UnlockDiagnosticVMOptions (not part of our block) survives taking the cache out
        assertThat(moved.withoutCache().lines()).containsOnlyOnce("java-options=-XX:+UnlockDiagnosticVMOptions");
        // a lone -XX:AOTCache (written by hand) is taken out too, its neighbours stay
        LauncherCfg lone = LauncherCfg.parse(JPACKAGE + "java-options=-XX:AOTCache=/x.aot\njava-options=-Xss1m\n");
        assertThat(lone.withoutCache().text()).isEqualTo(JPACKAGE + "java-options=-Xss1m\n");
    }

    @Test
    void aCfgWithoutJavaOptionsGetsTheSectionAndCrlfStaysCrlf() {
        LauncherCfg bare = LauncherCfg.parse("[Application]\r\napp.mainclass=M\r\n");
        assertThat(bare.withCache("$BINDIR\\steep-repl.aot").text()).isEqualTo("[Application]\r\napp.mainclass=M\r\n\r\n"
                + "[JavaOptions]\r\njava-options=-XX:AOTCache=$BINDIR\\steep-repl.aot\r\n"
                + "java-options=-XX:+UnlockDiagnosticVMOptions\r\njava-options=-XX:-AOTReplayTraining\r\n");
        // a section after [JavaOptions]: the block goes before the blank line that separates them
        LauncherCfg two = LauncherCfg.parse("[JavaOptions]\njava-options=-Xms16m\n\n[ArgOptions]\narguments=x\n");
        assertThat(two.withCache("c").lines()).containsExactly("[JavaOptions]", "java-options=-Xms16m",
                "java-options=-XX:AOTCache=c", "java-options=-XX:+UnlockDiagnosticVMOptions",
                "java-options=-XX:-AOTReplayTraining", "", "[ArgOptions]", "arguments=x");
    }

    @Test
    void theClassPathInTheLaunchersOrder() {
        assertThat(LauncherCfg.parse(JPACKAGE).classPath()).containsExactly("$APPDIR/steep-repl-daemon-0.1.0.jar",
                "$APPDIR/HikariCP-7.0.2.jar", "$APPDIR/xz-1.11.jar");
    }

    @Test
    void writingReplacesTheFileAndKeepsItsPermissions(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("steep-repl.cfg");
        Files.writeString(file, JPACKAGE);
        // a mode to keep where files have one; on Windows the file inherits its directory's ACL, as jpackage's did
        boolean posix = Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class);
        if (posix) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        }
        LauncherCfg.read(file).withCache("$APPDIR/steep-repl.aot").write(file);
        assertThat(Files.readString(file)).isEqualTo(WITH_CACHE);
        if (posix) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        }
        try (var left = Files.list(tmp)) {
            assertThat(left).as("no temporary file left beside it").containsExactly(file);
        }
    }
}
