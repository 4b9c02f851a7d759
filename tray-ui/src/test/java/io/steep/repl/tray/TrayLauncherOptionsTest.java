package io.steep.repl.tray;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The plain distribution's two tray launchers start the JVM with the same options (RealDisplayTrayTest uses the sh's). */
class TrayLauncherOptionsTest {

    @Test
    void theBatFileAndTheShellScriptPassTheSameOptions() throws Exception {
        Matcher bat = Pattern.compile("%JAVA% (.+?) %STEEP_REPL_TRAY_JAVA_OPTS%")
                .matcher(Files.readString(Path.of("src/main/dist/bin/steep-repl-tray.bat")));
        assertThat(bat.find()).as("the java line in steep-repl-tray.bat").isTrue();
        assertThat(bat.group(1).trim().split("\\s+")).containsExactlyInAnyOrderElementsOf(RealDisplayTrayTest.launcherOptions());
        assertThat(RealDisplayTrayTest.launcherOptions()).contains("-Dslf4j.internal.verbosity=ERROR");
    }
}
