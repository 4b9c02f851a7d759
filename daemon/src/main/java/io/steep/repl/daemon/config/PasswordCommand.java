package io.steep.repl.daemon.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code postgresql.password_command}, an external credential helper (a vault CLI, {@code pass}, a script).
 * Runs it directly, never through a shell, so nothing in the config is interpreted twice. The password is the
 * first line of its stdout, trimmed. Its stdout never appears in a message or a log; only stderr is summarised.
 */
public final class PasswordCommand {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_OUTPUT = 64 * 1024;

    private PasswordCommand() {
    }

    /** Why the helper did not give a password. The message is safe to log: it holds no stdout. */
    public static final class Failure extends Exception {
        public Failure(String message) {
            super(message);
        }
    }

    public static String run(List<String> argv, Duration timeout) throws Failure {
        String shown = "password_command '" + argv.getFirst() + "'";
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(nullDevice())).start();
        } catch (IOException e) {
            throw new Failure(shown + " could not be started: " + e.getMessage()
                    + " (give the full path of the program; it is run without a shell)");
        }
        CompletableFuture<byte[]> out = drain(process.getInputStream());
        CompletableFuture<byte[]> err = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new Failure(shown + " did not finish within " + Durations.format(timeout) + "; it was stopped");
            }
            int code = process.exitValue();
            if (code != 0) {
                String stderr = summary(err.get(2, TimeUnit.SECONDS));
                throw new Failure(shown + " failed with exit code " + code + (stderr.isEmpty() ? "" : ": " + stderr));
            }
            String stdout = new String(out.get(2, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            String first = stdout.lines().findFirst().orElse("").strip();
            if (first.isEmpty()) {
                throw new Failure(shown + " printed no password on its first line of output");
            }
            return first;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new Failure(shown + " was interrupted");
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new Failure(shown + " output could not be read: " + e.getMessage());
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread.ofVirtual().name("password-command-output").start(() -> {
            try (in) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                byte[] chunk = new byte[4096];
                int n;
                while ((n = in.read(chunk)) > 0) {
                    if (buf.size() < MAX_OUTPUT) {
                        buf.write(chunk, 0, Math.min(n, MAX_OUTPUT - buf.size()));
                    }
                }
                f.complete(buf.toByteArray());
            } catch (IOException e) {
                f.complete(new byte[0]);
            }
        });
        return f;
    }

    private static String summary(byte[] stderr) {
        String s = new String(stderr, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static java.io.File nullDevice() {
        return new java.io.File(PlatformPaths.Os.current() == PlatformPaths.Os.WINDOWS ? "NUL" : "/dev/null");
    }
}
