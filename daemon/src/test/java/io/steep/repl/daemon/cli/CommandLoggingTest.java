package io.steep.repl.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.daemon.Main;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Commands other than run print what they have to say, not the libraries' debug logging. */
class CommandLoggingTest {

    @Test
    void aRemoteHealthCheckPrintsItsAnswerAndNoLibraryDebugLines() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "health", "--insecure", "--remote", "127.0.0.1:" + closed, "--timeout", "2"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isEqualTo(HealthCommand.NOT_SERVING);
        assertThat(out).contains("steep-repl health: ").doesNotContain("DEBUG", "io.grpc.netty.shaded");
    }
}
