package io.steep.repl.daemon.service;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessCommandRunnerTest {

    private final ProcessCommandRunner runner = new ProcessCommandRunner(Duration.ofSeconds(20));

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "runs the POSIX programs sh and sleep")
    void capturesExitCodeAndCombinedOutputWithEnvironment() {
        CommandRunner.Result r = runner.run(new Command(List.of("sh", "-c", "echo out; echo err >&2; echo $STEEP_X; exit 3"),
                Map.of("STEEP_X", "from-env")));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.output()).contains("out", "err", "from-env");
    }

    @Test
    void aMissingProgramIsAClearError() {
        assertThatThrownBy(() -> runner.run(Command.of("steep-repl-no-such-program")))
                .isInstanceOf(ServiceException.class).hasMessageStartingWith("could not run steep-repl-no-such-program");
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "runs the POSIX programs sh and sleep")
    void aHangingProgramIsKilledAfterTheTimeout() {
        ProcessCommandRunner quick = new ProcessCommandRunner(Duration.ofMillis(300));
        assertThatThrownBy(() -> quick.run(Command.of("sleep", "30")))
                .isInstanceOf(ServiceException.class).hasMessageContaining("did not finish").hasMessageContaining("killed");
    }
}
