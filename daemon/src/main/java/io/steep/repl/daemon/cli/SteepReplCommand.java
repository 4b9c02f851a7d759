package io.steep.repl.daemon.cli;

import io.steep.repl.daemon.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;

/** The root command. Subcommands are a plain list: each issue adds its own (tls, install, start, …). */
@Command(name = "steep-repl",
        mixinStandardHelpOptions = true,
        versionProvider = SteepReplCommand.VersionProvider.class,
        description = "steep-repl: the node daemon of Steep's PostgreSQL replication foundation.",
        subcommands = {
                RunCommand.class,
                StatusCommand.class,
                VersionCommand.class,
                CommandLine.HelpCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success (status: running)",
                "1:error (bad config, start failure, another instance running)",
                "2:status: not running or not answering",
                "64:wrong command line"})
public final class SteepReplCommand implements Runnable {

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "config file (default: $STEEP_REPL_CONFIG, else the platform's config.yaml)")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public Path config() {
        return config;
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SteepReplCommand());
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("steep-repl: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            c.getErr().flush();
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("steep-repl: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            c.getErr().flush();
            return ExitCodes.ERROR;
        });
        return cl;
    }

    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"steep-repl " + Version.current()};
        }
    }
}
