package io.steep.repl.daemon.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.steep.repl.daemon.config.ConfigException;
import io.steep.repl.daemon.config.ConfigLoader;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.config.PlatformPaths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for the config loader (issue 11): any file content either loads or is refused with a
 * {@link ConfigException} whose every line names the file — never another exception, never a hang. Loading never
 * runs {@code password_command} (the daemon runs it later), so hostile input cannot execute anything here.
 * Seeds: {@code src/test/resources/io/steep/repl/daemon/fuzz/ConfigLoaderFuzzTestInputs/loadsOrExplains/}.
 */
class ConfigLoaderFuzzTest {

    private static Path dir;

    private static synchronized Path file() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("steep-fuzz-config");
        }
        return dir.resolve("config.yaml");
    }

    @FuzzTest(maxDuration = "2m")
    void loadsOrExplains(byte[] input) throws IOException {
        Path f = file();
        Files.write(f, input);
        Map<String, String> env = new HashMap<>();
        ConfigLoader loader = new ConfigLoader(new PlatformPaths(PlatformPaths.Os.LINUX, env, dir.resolve("home")), env, false);
        try {
            DaemonConfig config = loader.load(f, true);
            assertThat(config.nodeId()).isNotBlank();
            assertThat(config.source()).isEqualTo(f);
        } catch (ConfigException e) {
            assertThat(e.problems()).isNotEmpty();
            for (String problem : e.problems()) {
                assertThat(problem).as("every problem names the file").startsWith(f.toString());
                assertThat(problem.length()).as("a problem is a line, not a dump").isLessThan(2000);
            }
        }
    }
}
