package io.steep.repl.daemon.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.daemon.config.PlatformPaths;
import io.steep.repl.daemon.config.PlatformPaths.Os;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CertsDirectoryTest {

    @Test
    void rootUsesTheServiceDirectoryOthersTheirOwn() {
        PlatformPaths linux = new PlatformPaths(Os.LINUX, Map.of(), Path.of("/home/ann"));
        assertThat(CertsDirectory.defaultFor(linux, CertsDirectory.privileged(Os.LINUX, "root")))
                .isEqualTo(Path.of("/etc/steep/certs"));
        assertThat(CertsDirectory.defaultFor(linux, CertsDirectory.privileged(Os.LINUX, "ann")))
                .isEqualTo(Path.of("/home/ann/.config/steep/certs"));
        assertThat(CertsDirectory.privileged(Os.MACOS, "root")).isTrue();
        assertThat(CertsDirectory.privileged(Os.WINDOWS, "SYSTEM")).isTrue();
        assertThat(CertsDirectory.privileged(Os.WINDOWS, "HOST$")).isTrue();
        assertThat(CertsDirectory.privileged(Os.WINDOWS, "ann")).isFalse();
        assertThat(CertsDirectory.privileged(Os.LINUX, "rootless")).isFalse();
    }
}
