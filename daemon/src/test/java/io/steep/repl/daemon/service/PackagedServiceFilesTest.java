package io.steep.repl.daemon.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class PackagedServiceFilesTest {

    @Test
    void writesTheSameUnitAsTheInstallCommandForThePackageLauncher(@TempDir Path dir) throws IOException {
        PackagedServiceFiles.write(dir.resolve("nested"));

        String unit = Files.readString(dir.resolve("nested/steep-repl.service"));
        String expected = new SystemdUnit(ServiceScope.SYSTEM, "/opt/steep-repl/bin/steep-repl", "/etc/steep/config.yaml",
                new LinkedHashMap<>()).render();
        assertThat(unit).isEqualTo(expected)
                .contains("ExecStart=/opt/steep-repl/bin/steep-repl run --config /etc/steep/config.yaml")
                .doesNotContain("Environment=");
        assertThat(Files.readString(dir.resolve("nested/steep-repl.sysusers")))
                .isEqualTo(SystemdUnit.sysusers())
                .contains("u steep-repl ");
    }
}
