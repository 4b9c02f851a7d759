package io.steep.repl.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The root command builds only the subcommand a command line names (start-up time), and everything else still
 * behaves as with the full tree: inherited --config, help listing every command, suggestions for typos.
 */
class SteepReplCommandTreeTest {

    @Test
    void findsTheNamedSubcommandPastRootOptions() {
        assertThat(SteepReplCommand.subcommandNamed("run", "--debug")).isEqualTo("run");
        assertThat(SteepReplCommand.subcommandNamed("--config", "run", "tls", "show")).as("--config's value is no command")
                .isEqualTo("tls");
        assertThat(SteepReplCommand.subcommandNamed("--config", "/etc/steep/config.yaml")).isNull();
        assertThat(SteepReplCommand.subcommandNamed("--help")).isNull();
        assertThat(SteepReplCommand.subcommandNamed("rnu")).isNull();
        assertThat(SteepReplCommand.subcommandNamed()).isNull();
    }

    @Test
    void aNamedSubcommandIsTheOnlyOneBuiltAndInheritsConfig() {
        CommandLine cl = SteepReplCommand.commandLine("--config", "/x/config.yaml", "run", "--user");
        assertThat(cl.getSubcommands().keySet()).containsExactly("run");
        CommandLine.ParseResult r = cl.parseArgs("--config", "/x/config.yaml", "run", "--user");
        RunCommand run = (RunCommand) r.subcommand().commandSpec().userObject();
        assertThat(run.user).isTrue();
        assertThat(run.root.config()).isEqualTo(Path.of("/x/config.yaml"));
        // the inherited option works after the subcommand too
        CommandLine after = SteepReplCommand.commandLine("run", "--config", "/y.yaml");
        RunCommand run2 = (RunCommand) after.parseArgs("run", "--config", "/y.yaml").subcommand().commandSpec().userObject();
        assertThat(run2.root.config()).isEqualTo(Path.of("/y.yaml"));
    }

    @Test
    void helpTyposAndBareOptionsGetTheWholeTree() {
        assertThat(SteepReplCommand.commandLine("help", "run").getSubcommands().keySet())
                .containsExactlyElementsOf(SteepReplCommand.commandLine().getSubcommands().keySet())
                .contains("run", "status", "tls", "install", "help");
        StringWriter out = new StringWriter();
        assertThat(run(out, "--help")).isZero();
        assertThat(out.toString()).contains("run", "status", "tls", "uninstall", "restart");

        StringWriter err = new StringWriter();
        CommandLine cl = SteepReplCommand.commandLine("rnu");
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("rnu")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Unmatched argument at index 0: 'rnu'", "steep-repl --help");
    }

    private static int run(StringWriter out, String... args) {
        CommandLine cl = SteepReplCommand.commandLine(args);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }
}
