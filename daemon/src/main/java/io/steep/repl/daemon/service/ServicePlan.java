package io.steep.repl.daemon.service;

import io.steep.repl.daemon.config.PlatformPaths.Os;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * What one service operation does, step by step, for one target OS. {@link #render()} is the {@code --dry-run}
 * output; {@link #apply} performs it.
 *
 * @param title         e.g. "install steep-repl (systemd, system service)"
 * @param os            the target OS: decides how commands are quoted for display
 * @param steps         in order
 */
public record ServicePlan(String title, Os os, List<PlanStep> steps) {

    public ServicePlan {
        steps = List.copyOf(steps);
    }

    public List<Command> commands() {
        return steps.stream().filter(s -> s instanceof PlanStep.Run).map(s -> ((PlanStep.Run) s).command()).toList();
    }

    /** The dry-run text: every file with its full content, every command as it would be typed. */
    public String render() {
        StringBuilder out = new StringBuilder("# ").append(title).append('\n');
        for (PlanStep step : steps) {
            switch (step) {
                case PlanStep.WriteFile w -> {
                    out.append("write ").append(w.path()).append(os == Os.WINDOWS ? "" : " (mode " + w.mode() + ")")
                            .append(":\n");
                    out.append("----8<----\n").append(w.content());
                    if (!w.content().endsWith("\n")) {
                        out.append('\n');
                    }
                    out.append("----8<----\n");
                }
                case PlanStep.MakeDirectory d -> out.append("create directory ").append(d.path()).append('\n');
                case PlanStep.DeleteFile d -> out.append("delete ").append(d.path()).append('\n');
                case PlanStep.Run r -> out.append("run: ").append(display(r.command()))
                        .append(r.tolerateFailure() ? "   (a failure here is ignored)" : "").append('\n');
                case PlanStep.Note n -> out.append("note: ").append(n.text()).append('\n');
            }
        }
        return out.toString();
    }

    public String display(Command command) {
        StringBuilder line = new StringBuilder();
        command.env().forEach((k, v) -> line.append(k).append('=').append(quote(v)).append(' '));
        return line.append(os == Os.WINDOWS ? WindowsCommandLine.render(command.argv()) : PosixShell.render(command.argv()))
                .toString();
    }

    private String quote(String value) {
        return os == Os.WINDOWS ? WindowsCommandLine.quote(value) : PosixShell.quote(value);
    }

    /**
     * Carries the plan out on {@code host}, reporting each step to {@code log}. When a step fails, files this plan
     * wrote are removed again (so a failed install does not leave a half-installed service that the next attempt
     * would call "already installed") and a {@link ServiceException} says which step failed and why.
     */
    public void apply(ServiceHost host, PrintWriter log) {
        List<Path> written = new ArrayList<>();
        try {
            for (PlanStep step : steps) {
                perform(step, host, log, written);
            }
        } catch (ServiceException e) {
            for (Path p : written.reversed()) {
                try {
                    Files.deleteIfExists(p);
                    log.println("rolled back: removed " + p);
                } catch (IOException ignored) {
                    log.println("could not remove " + p + " while rolling back; remove it by hand");
                }
            }
            throw e;
        } finally {
            log.flush();
        }
    }

    private void perform(PlanStep step, ServiceHost host, PrintWriter log, List<Path> written) {
        try {
            switch (step) {
                case PlanStep.WriteFile w -> {
                    Path file = host.file(w.path());
                    boolean existed = Files.exists(file);
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, w.content());
                    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(symbolic(w.mode())));
                    }
                    if (!existed) {
                        written.add(file);
                    }
                    log.println("wrote " + w.path());
                }
                case PlanStep.MakeDirectory d -> {
                    Files.createDirectories(host.file(d.path()));
                    log.println("created directory " + d.path());
                }
                case PlanStep.DeleteFile d -> {
                    if (Files.deleteIfExists(host.file(d.path()))) {
                        log.println("deleted " + d.path());
                    }
                }
                case PlanStep.Run r -> {
                    log.println("running: " + display(r.command()));
                    log.flush();
                    CommandRunner.Result result = host.runner().run(r.command());
                    if (!result.ok()) {
                        String detail = "`" + display(r.command()) + "` failed (exit " + result.exitCode() + ")"
                                + (result.output().isBlank() ? "" : ": " + result.output().strip());
                        if (!r.tolerateFailure()) {
                            throw new ServiceException(ServiceException.Reason.COMMAND_FAILED, detail);
                        }
                        log.println("ignored: " + detail);
                    }
                }
                case PlanStep.Note n -> log.println("note: " + n.text());
            }
        } catch (IOException e) {
            throw new ServiceException(ServiceException.Reason.IO, "cannot write " + describe(step) + ": " + e, e);
        }
    }

    private static String describe(PlanStep step) {
        return switch (step) {
            case PlanStep.WriteFile w -> w.path();
            case PlanStep.MakeDirectory d -> d.path();
            case PlanStep.DeleteFile d -> d.path();
            default -> step.toString();
        };
    }

    /** "0644" → "rw-r--r--". */
    static String symbolic(String octal) {
        String bits = "rwxrwxrwx";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            int digit = octal.charAt(octal.length() - 3 + i) - '0';
            for (int b = 0; b < 3; b++) {
                s.append((digit & (4 >> b)) != 0 ? bits.charAt(i * 3 + b) : '-');
            }
        }
        return s.toString();
    }
}
