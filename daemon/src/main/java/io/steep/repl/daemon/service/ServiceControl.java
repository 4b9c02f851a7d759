package io.steep.repl.daemon.service;

import io.steep.repl.daemon.config.PlatformPaths.Os;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;

/**
 * The service operations as one API, for the CLI commands ({@code install, uninstall, start, stop, restart}), the
 * core's {@code status} command and the IPC methods {@code service.*}.
 *
 * <pre>{@code
 * ServiceControl control = ServiceControl.forThisHost();
 * ServiceStatus s = control.status(false);                       // service.status
 * Outcome o = control.perform(Operation.START, ServiceScope.SYSTEM,
 *         InstallOptions.defaults(), false);                     // service.start; throws ServiceException
 * }</pre>
 */
public final class ServiceControl {

    private final ServiceHost host;

    public ServiceControl(ServiceHost host) {
        this.host = host;
    }

    public static ServiceControl forThisHost() {
        return new ServiceControl(ServiceHost.current());
    }

    public ServiceHost host() {
        return host;
    }

    /** The manager of this OS, or of {@code preview} for a dry run of another OS. */
    public ServiceManager manager(Optional<Os> preview) {
        return ServiceManager.forHost(preview.map(host::previewAs).orElse(host));
    }

    /** What the OS service manager says about the steep-repl service: installed, enabled, state, pid, since. */
    public ServiceStatus status(boolean user) {
        return manager(Optional.empty()).status(ServiceScope.of(user));
    }

    /**
     * The text of what an operation would do, touching nothing.
     *
     * @param preview another OS to preview, or empty for this one
     */
    public String dryRun(ServiceManager.Operation operation, ServiceScope scope, InstallOptions options, Optional<Os> preview) {
        return manager(preview).plan(operation, scope, options, true).render();
    }

    /**
     * Performs an operation on this machine.
     *
     * @return the plan carried out and the log of what was done
     * @throws ServiceException when it cannot be done here or a step failed (files written by a failed install
     *                          are removed again)
     */
    public Outcome perform(ServiceManager.Operation operation, ServiceScope scope, InstallOptions options) {
        StringWriter log = new StringWriter();
        ServicePlan plan = perform(operation, scope, options, new PrintWriter(log));
        return new Outcome(plan, log.toString());
    }

    /** Same, reporting each step to {@code progress} as it happens (the CLI's terminal). */
    public ServicePlan perform(ServiceManager.Operation operation, ServiceScope scope, InstallOptions options,
                               PrintWriter progress) {
        ServicePlan plan = manager(Optional.empty()).plan(operation, scope, options, false);
        plan.apply(host, progress);
        return plan;
    }

    /** @param log one line per step performed, and the plan's notes */
    public record Outcome(ServicePlan plan, String log) {}
}
