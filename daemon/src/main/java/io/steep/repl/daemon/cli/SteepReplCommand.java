package io.steep.repl.daemon.cli;

import io.steep.repl.daemon.Version;
import io.steep.repl.daemon.logging.LoggingSetup;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;

/** The root command. Subcommands are a plain list: each issue adds its own (tls, install, start, …). */
@Command(name = "steep-repl",
        mixinStandardHelpOptions = true,
        versionProvider = SteepReplCommand.VersionProvider.class,
        description = "steep-repl: the node daemon of Steep's PostgreSQL replication foundation.",
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

    /** The root's {@code --config} as seen from any subcommand's spec; null when not given (or not under the root). */
    static Path configOf(CommandSpec spec) {
        return spec != null && spec.root().userObject() instanceof SteepReplCommand root ? root.config() : null;
    }

    /**
     * Every subcommand, in help order. Registered in code rather than in {@code @Command(subcommands)} so that
     * {@link #commandLine(String...)} can build only the one a command line names: picocli reflects over each
     * registered command class up front, and the whole tree (tls with its five subcommands, the service commands…)
     * was a quarter of the daemon's start-up CPU before {@code run} even began. Classes, not constructor
     * references: JDK 25's AOT cache assembly crashed on lambdas naming picocli classes it had left out.
     */
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("run", RunCommand.class);
        m.put("status", StatusCommand.class);
        m.put("version", VersionCommand.class);
        m.put("health", HealthCommand.class);
        m.put("node", NodeCommand.class);
        m.put("tls", TlsCommand.class);
        m.put("install", ServiceCommands.Install.class);
        m.put("uninstall", ServiceCommands.Uninstall.class);
        m.put("start", ServiceCommands.Start.class);
        m.put("stop", ServiceCommands.Stop.class);
        m.put("restart", ServiceCommands.Restart.class);
        m.put("aot-cache", AotCacheCommand.class);
        m.put("help", CommandLine.HelpCommand.class);
        return Collections.unmodifiableMap(m);
    }

    /** The full command tree (help, completion, tests). */
    public static CommandLine commandLine() {
        return commandLine(SUBCOMMANDS.keySet());
    }

    /**
     * The tree {@code args} needs: only the subcommand they name when they name one (other than {@code help},
     * which lists them all), else all of them, so usage, errors and "did you mean" suggestions stay complete.
     */
    public static CommandLine commandLine(String... args) {
        String named = subcommandNamed(args);
        return commandLine(named == null || named.equals("help") ? SUBCOMMANDS.keySet() : List.of(named));
    }

    /** The first argument that is not an option (nor the value of the root's {@code --config}), if it names a subcommand. */
    static String subcommandNamed(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config")) {
                i++;
            } else if (!a.startsWith("-")) {
                return SUBCOMMANDS.containsKey(a) ? a : null;
            }
        }
        return null;
    }

    private static CommandLine commandLine(Iterable<String> names) {
        CommandLine cl = new CommandLine(new SteepReplCommand());
        for (String name : names) {
            cl.addSubcommand(name, SUBCOMMANDS.get(name));
        }
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
        if (!"run".equals(subcommandNamed(args))) {
            LoggingSetup.forCommands(); // run sets up its own logging from the config
        }
        return commandLine(args).execute(args);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"steep-repl " + Version.current()};
        }
    }
}
