package io.steep.repl.daemon.embedded;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ExtensionResourcesTest {

    /** pg_ctl -o goes through /bin/sh on Linux/macOS but cmd.exe on Windows, which would keep the quotes. */
    @Test
    void controlPathIsShellQuotedWithColonsOnUnixAndBareWithSemicolonsOnWindows() {
        Path root = Path.of("embedded-pg", "ext").toAbsolutePath();
        assertThat(ExtensionResources.controlPathSetting(root, "Linux")).isEqualTo("'$system:" + root + "'");
        assertThat(ExtensionResources.controlPathSetting(root, "Mac OS X")).isEqualTo("'$system:" + root + "'");
        assertThat(ExtensionResources.controlPathSetting(root, "Windows 11")).isEqualTo("$system;" + root);
    }
}
