package io.steep.repl.daemon.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The options other programs rely on: the tray starts the bundled daemon with {@code run --user}. */
class RunCommandOptionsTest {

    @Test
    void runAcceptsUserAndNoTray() {
        CommandLine cl = SteepReplCommand.commandLine();
        CommandLine.ParseResult r = cl.parseArgs("run", "--user", "--no-tray", "--debug");
        RunCommand run = (RunCommand) r.subcommand().commandSpec().userObject();
        assertThat(run.user).isTrue();
        assertThat(run.noTray).isTrue();
        assertThat(run.debug).isTrue();
    }

    @Test
    void runUserWithoutAConfigSaysWhatToDo() {
        StringWriter err = new StringWriter();
        CommandLine cl = SteepReplCommand.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        Path missing = Path.of(System.getProperty("java.io.tmpdir"), "steep-no-such-dir", "config.yaml");
        int code = cl.execute("--config", missing.toString(), "run", "--user");
        assertThat(code).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains(missing + ": no such file", "--embedded-postgres");
    }
}
