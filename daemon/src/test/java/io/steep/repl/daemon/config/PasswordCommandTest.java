package io.steep.repl.daemon.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordCommandTest {

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "uses the POSIX helpers printf, sh, true and sleep")
    void firstLineOfStdoutTrimmedIsThePassword() throws Exception {
        // printf gets the text as one argv element: no shell, so quotes, $ and spaces arrive untouched
        String pw = PasswordCommand.run(List.of("printf", "  p@ss w'o\"rd$HOME;|  \nsecond line\n"), Duration.ofSeconds(10));
        assertThat(pw).isEqualTo("p@ss w'o\"rd$HOME;|");
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "uses the POSIX helpers printf, sh, true and sleep")
    void failureReportsExitCodeAndStderrButNeverStdout() {
        assertThatThrownBy(() -> PasswordCommand.run(
                List.of("sh", "-c", "echo secret-on-stdout; echo 'vault: permission denied' >&2; exit 3"), Duration.ofSeconds(10)))
                .isInstanceOf(PasswordCommand.Failure.class)
                .hasMessage("password_command 'sh' failed with exit code 3: vault: permission denied")
                .hasMessageNotContaining("secret-on-stdout");
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "uses the POSIX helpers printf, sh, true and sleep")
    void emptyOutputIsAFailure() {
        assertThatThrownBy(() -> PasswordCommand.run(List.of("true"), Duration.ofSeconds(10)))
                .hasMessage("password_command 'true' printed no password on its first line of output");
    }

    @Test
    void missingProgram() {
        assertThatThrownBy(() -> PasswordCommand.run(List.of("/nonexistent/helper"), Duration.ofSeconds(10)))
                .hasMessageStartingWith("password_command '/nonexistent/helper' could not be started");
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "uses the POSIX helpers printf, sh, true and sleep")
    void timeoutStopsTheHelper() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> PasswordCommand.run(List.of("sleep", "30"), Duration.ofMillis(300)))
                .hasMessage("password_command 'sleep' did not finish within 300ms; it was stopped");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }
}
