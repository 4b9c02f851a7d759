package io.steep.repl.daemon.cli;

import io.steep.repl.daemon.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version of steep-repl and of the Java runtime.")
final class VersionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.println("steep-repl " + Version.current());
        out.println("java " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")");
        out.flush();
        return ExitCodes.OK;
    }
}
