package io.steep.repl.daemon.service;

import java.util.ArrayList;
import java.util.List;

/**
 * One OS service manager. Every operation is first a {@link ServicePlan} (files to write, commands to run) that
 * {@code --dry-run} prints and otherwise {@link ServicePlan#apply applies}; {@link #plan} refuses with a
 * {@link ServiceException} when the operation cannot work here (not privileged, manager not running, launcher
 * missing, already / not installed), except for a dry run, which shows those problems as notes instead.
 */
public sealed interface ServiceManager permits SystemdServiceManager, LaunchdServiceManager, WindowsServiceManager {

    enum Operation { INSTALL, UNINSTALL, START, STOP, RESTART }

    /** "systemd", "launchd", "Windows SCM". */
    String name();

    ServicePlan plan(Operation operation, ServiceScope scope, InstallOptions options, boolean dryRun);

    ServiceStatus status(ServiceScope scope);

    static ServiceManager forHost(ServiceHost host) {
        return switch (host.os()) {
            case LINUX -> new SystemdServiceManager(host);
            case MACOS -> new LaunchdServiceManager(host);
            case WINDOWS -> new WindowsServiceManager(host);
        };
    }

    /** The message for "system scope without privileges", per OS. */
    static ServiceException notPrivileged(String what, boolean windows) {
        return new ServiceException(ServiceException.Reason.NOT_PRIVILEGED, windows
                ? what + " needs an elevated prompt: run it from a terminal opened with \"Run as administrator\""
                : what + " needs root: run with sudo, or use --user for a per-user service");
    }

    static ServiceException alreadyInstalled(String where) {
        return new ServiceException(ServiceException.Reason.ALREADY_INSTALLED,
                "steep-repl is already installed (" + where + "); run `steep-repl uninstall` first to reinstall it");
    }

    static ServiceException notInstalled(String scopeFlag) {
        return new ServiceException(ServiceException.Reason.NOT_INSTALLED,
                "steep-repl is not installed as a service; run `steep-repl install" + scopeFlag + "` first");
    }

    /**
     * The common ending of {@link #plan}: problems stop a real run (first one wins: they are checked in the order a
     * user fixes them) and become notes at the top of a dry run.
     */
    static ServicePlan finish(String title, ServiceHost host, List<ServiceException> problems, List<PlanStep> steps,
                              boolean dryRun) {
        if (!dryRun && !problems.isEmpty()) {
            throw problems.getFirst();
        }
        List<PlanStep> all = new ArrayList<>();
        if (host.foreign()) {
            all.add(new PlanStep.Note("preview for another OS: paths are that OS's defaults, nothing here was checked"));
        }
        for (ServiceException p : problems) {
            all.add(new PlanStep.Note("on this machine this would fail now: " + p.getMessage()));
        }
        all.addAll(steps);
        return new ServicePlan(title, host.os(), all);
    }
}
