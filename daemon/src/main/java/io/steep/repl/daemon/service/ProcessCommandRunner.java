package io.steep.repl.daemon.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/** The real {@link CommandRunner}: {@link ProcessBuilder}, output captured, bounded by a timeout. */
public final class ProcessCommandRunner implements CommandRunner {

    private final Duration timeout;

    public ProcessCommandRunner(Duration timeout) {
        this.timeout = timeout;
    }

    /** Service managers answer in seconds; a minute covers a slow `systemctl stop` (TimeoutStopSec=30s). */
    public ProcessCommandRunner() {
        this(Duration.ofSeconds(90));
    }

    @Override
    public Result run(Command command) {
        ProcessBuilder builder = new ProcessBuilder(command.argv()).redirectErrorStream(true);
        builder.environment().putAll(command.env());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ServiceException(ServiceException.Reason.COMMAND_FAILED,
                    "could not run " + command.program() + ": " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close(); // nothing to say to it: it must not wait for input
        } catch (IOException ignored) {
            // already gone
        }
        // Drain output concurrently so a chatty program cannot block on a full pipe before it exits.
        FutureTask<String> output = new FutureTask<>(() -> readAll(process.getInputStream()));
        Thread.ofVirtual().name("service-command-output").start(output);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new ServiceException(ServiceException.Reason.COMMAND_FAILED,
                        command.program() + " did not finish within " + timeout.toSeconds() + " s and was killed");
            }
            return new Result(process.exitValue(), output.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ServiceException(ServiceException.Reason.COMMAND_FAILED, "interrupted while running " + command.program(), e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return new Result(process.exitValue(), "");
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), Charset.defaultCharset());
        } catch (IOException e) {
            return "";
        }
    }
}
