package io.steep.repl.daemon.cli;

import io.steep.repl.daemon.aot.AotCacheBuilder;
import io.steep.repl.daemon.aot.AppImage;
import io.steep.repl.daemon.config.PlatformPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code steep-repl aot-cache}: the installed steep-repl's start-up cache ({@link io.steep.repl.daemon.aot}). The
 * packages run it (the DEB and DMG builds, the MSI at install time); an administrator runs it again when the cache
 * stopped being used.
 */
@Command(name = "aot-cache", mixinStandardHelpOptions = true,
        description = {"Make the start-up cache (the JDK's AOT cache) of this installed steep-repl and pass it to its"
                + " launcher: the daemon then starts about twice as fast.",
                "The packages do this when they are built (DEB, DMG) or installed (MSI). Run it again when a start"
                + " prints [error][aot] lines (a file of the installation changed). A cache the JVM still maps is kept"
                + " unless --force. Takes a minute at most; a failure leaves the installation as it was."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the cache is in place", "1:it could not be made (why, and where the logs are, on stderr)",
                "64:wrong command line"})
final class AotCacheCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--force", description = "make a new cache even when the one in place is used")
    boolean force;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "where the training runs and keeps its logs (default: a new temporary directory, removed on success)")
    Path workDir;

    @Option(names = "--launcher", paramLabel = "FILE",
            description = "the app image's launcher to make the cache for (default: the one running this command)")
    Path launcher;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String self = System.getProperty("jpackage.app-path");
        Path target = launcher != null ? launcher : self == null ? null : Path.of(self);
        if (target == null) {
            return fail(err, "this steep-repl was not started by an app image's launcher (the DEB, DMG or MSI"
                    + " installation); the plain distribution's cache is made by its Maven build. --launcher names"
                    + " an installed launcher");
        }
        PlatformPaths.Os os = PlatformPaths.Os.current();
        AppImage image;
        try {
            image = AppImage.of(target, os);
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage());
        }
        Path work = workDir;
        try {
            if (work == null) {
                work = Files.createTempDirectory("steep-repl-aot-");
            }
            AotCacheBuilder builder = new AotCacheBuilder(image, os, work, AotCacheBuilder.PROCESSES, line -> {
                out.println("steep-repl aot-cache: " + line);
                out.flush();
            });
            AotCacheBuilder.Outcome outcome = builder.build(force);
            if (outcome == AotCacheBuilder.Outcome.ALREADY_IN_PLACE) {
                out.println("steep-repl aot-cache: the JVM uses the cache in place (" + image.cache()
                        + "); nothing to do (--force makes a new one)");
                out.flush();
            }
            if (workDir == null) {
                AotCacheBuilder.deleteTree(work);
            }
            return ExitCodes.OK;
        } catch (AotCacheBuilder.Failure e) {
            return fail(err, e.getMessage() + (e.tried() ? ". The installation works without a cache; it only starts slower" : ""));
        } catch (IOException e) {
            return fail(err, "cannot make the cache: " + e + (work == null ? "" : "; see the logs in " + work));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(err, "interrupted; the installation is as it was");
        }
    }

    private static int fail(PrintWriter err, String message) {
        err.println("steep-repl aot-cache: " + message);
        err.flush();
        return ExitCodes.ERROR;
    }
}
