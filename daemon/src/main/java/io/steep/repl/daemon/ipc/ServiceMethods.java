package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.daemon.config.PlatformPaths.Os;
import io.steep.repl.daemon.service.InstallOptions;
import io.steep.repl.daemon.service.ServiceControl;
import io.steep.repl.daemon.service.ServiceException;
import io.steep.repl.daemon.service.ServiceManager.Operation;
import io.steep.repl.daemon.service.ServicePlan;
import io.steep.repl.daemon.service.ServiceScope;
import io.steep.repl.daemon.service.ServiceStatus;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code service.status|install|uninstall|start|stop|restart}: the OS service manager through
 * {@link ServiceControl}, the same code as the {@code steep-repl install|...} commands.
 *
 * <p>Stopping or restarting the service from the daemon that <em>is</em> the service would kill the daemon before
 * it answers. So when the service's main process is this process (or one of its ancestors: a launcher script), the
 * method checks everything a real run checks, answers {@code scheduled: true}, and carries the operation out
 * {@link #SELF_GRACE} after the answer is queued.
 */
final class ServiceMethods {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceMethods.class);

    /** Time for the answer to reach the client before the service manager stops this process. */
    static final Duration SELF_GRACE = Duration.ofSeconds(1);

    private ServiceMethods() {
    }

    static List<IpcMethod> all(ServiceControl control, Clock clock) {
        return List.of(new Status(control, clock),
                new Operate(IpcMethods.SERVICE_INSTALL, Operation.INSTALL, control),
                new Operate(IpcMethods.SERVICE_UNINSTALL, Operation.UNINSTALL, control),
                new Operate(IpcMethods.SERVICE_START, Operation.START, control),
                new Operate(IpcMethods.SERVICE_STOP, Operation.STOP, control),
                new Operate(IpcMethods.SERVICE_RESTART, Operation.RESTART, control));
    }

    /** {@code service.status}: what the service manager says. Without {@code user}: the scope it is installed in. */
    record Status(ServiceControl control, Clock clock) implements IpcMethod {
        @Override
        public String name() {
            return IpcMethods.SERVICE_STATUS;
        }

        @Override
        public Object handle(JsonNode params, CallContext ctx) throws IpcException {
            Optional<ServiceScope> asked = scope(params);
            try {
                ServiceStatus s = asked.isPresent() ? control.status(!asked.get().system()) : installedOrSystem(control);
                return statusJson(s, clock);
            } catch (ServiceException e) {
                throw toIpc(e, control);
            }
        }
    }

    /** install, uninstall, start, stop, restart. */
    record Operate(String name, Operation operation, ServiceControl control) implements IpcMethod {
        @Override
        public Access access() {
            return Access.PRIVILEGED;
        }

        @Override
        public Object handle(JsonNode params, CallContext ctx) throws IpcException {
            boolean dryRun = AdminParams.flag(params, "dry_run");
            InstallOptions options = options(params);
            try {
                ServiceScope scope = scope(params).orElseGet(() -> operation == Operation.INSTALL
                        ? ServiceScope.SYSTEM : installedOrSystem(control).scope());
                ObjectNode result = JsonNodeFactory.instance.objectNode()
                        .put("operation", operation.name().toLowerCase(Locale.ROOT))
                        .put("scope", scope.name().toLowerCase(Locale.ROOT))
                        .put("manager", control.manager(Optional.empty()).name())
                        .put("dry_run", dryRun);
                if (dryRun) {
                    return result.put("plan", control.dryRun(operation, scope, options, Optional.empty()));
                }
                if ((operation == Operation.STOP || operation == Operation.RESTART) && isThisProcess(control, scope)) {
                    // every check a real run makes happens here, so a refusal still arrives as an error
                    ServicePlan plan = control.manager(Optional.empty()).plan(operation, scope, options, false);
                    ctx.afterAnswer(() -> Thread.ofVirtual().name("ipc-" + name).start(() -> applyLater(plan)));
                    return result.put("scheduled", true).put("message", "this daemon is the service: "
                            + plan.title() + " starts in " + SELF_GRACE.toMillis() + " ms, after this answer; the"
                            + " connection will close" + (operation == Operation.RESTART ? " and the daemon come back" : ""));
                }
                ServiceControl.Outcome outcome = control.perform(operation, scope, options);
                return result.put("scheduled", false).put("message", "done: " + outcome.plan().title())
                        .put("log", outcome.log());
            } catch (ServiceException e) {
                throw toIpc(e, control);
            }
        }

        private InstallOptions options(JsonNode params) throws IpcException {
            Optional<Path> config = AdminParams.optionalPath(params, "config");
            Optional<Path> launcher = AdminParams.optionalPath(params, "launcher");
            if (operation != Operation.INSTALL && (config.isPresent() || launcher.isPresent())) {
                throw Params.invalid("params.config and params.launcher are for " + IpcMethods.SERVICE_INSTALL
                        + " only; " + name + " acts on the installed service as it is");
            }
            return new InstallOptions(config.map(Path::toString), launcher.map(Path::toString));
        }

        private void applyLater(ServicePlan plan) {
            StringWriter log = new StringWriter();
            try {
                Thread.sleep(SELF_GRACE);
                LOG.info("{} (asked over IPC)", plan.title());
                plan.apply(control.host(), new PrintWriter(log));
                LOG.info("{}: done\n{}", plan.title(), log);
            } catch (ServiceException e) {
                LOG.error("{} failed: {}\n{}", plan.title(), e.getMessage(), log);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code user} (boolean) or, as the tray sends it, {@code mode} ("system" / "user"); empty when neither. */
    static Optional<ServiceScope> scope(JsonNode params) throws IpcException {
        Optional<Boolean> user = AdminParams.optionalFlag(params, "user");
        Optional<String> mode = AdminParams.optionalString(params, "mode");
        Optional<ServiceScope> fromMode = mode.isEmpty() ? Optional.empty() : Optional.of(switch (mode.get()) {
            case "system" -> ServiceScope.SYSTEM;
            case "user" -> ServiceScope.USER;
            default -> throw Params.invalid("params.mode must be \"system\" or \"user\", got \"" + mode.get() + "\"");
        });
        Optional<ServiceScope> fromUser = user.map(ServiceScope::of);
        if (fromUser.isPresent() && fromMode.isPresent() && fromUser.get() != fromMode.get()) {
            throw Params.invalid("params.user and params.mode disagree (" + user.get() + " vs \"" + mode.get()
                    + "\"); pass only one");
        }
        return fromUser.or(() -> fromMode);
    }

    /** The system service if installed, else the user service if that is installed, else the (absent) system one. */
    static ServiceStatus installedOrSystem(ServiceControl control) {
        ServiceStatus system = control.status(false);
        if (system.installed() || control.host().os() == Os.WINDOWS) {
            return system;
        }
        ServiceStatus user = control.status(true);
        return user.installed() ? user : system;
    }

    /** Whether the service's main process is this JVM or a process this JVM descends from. */
    private static boolean isThisProcess(ServiceControl control, ServiceScope scope) {
        Long main;
        try {
            main = control.status(!scope.system()).mainPid();
        } catch (ServiceException e) {
            return false;
        }
        if (main == null) {
            return false;
        }
        Optional<ProcessHandle> p = Optional.of(ProcessHandle.current());
        for (int depth = 0; depth < 4 && p.isPresent(); depth++) {
            if (p.get().pid() == main) {
                return true;
            }
            p = p.get().parent();
        }
        return false;
    }

    static ObjectNode statusJson(ServiceStatus s, Clock clock) {
        ObjectNode o = JsonNodeFactory.instance.objectNode()
                .put("manager", s.manager())
                .put("scope", s.scope().name().toLowerCase(Locale.ROOT))
                .put("installed", s.installed())
                .put("enabled", s.enabled())
                .put("state", s.state().name().toLowerCase(Locale.ROOT))
                .put("running", s.state() == ServiceStatus.State.ACTIVE);
        if (s.mainPid() != null) {
            o.put("main_pid", s.mainPid());
        }
        if (s.since() != null) {
            o.put("since", s.since().toString());
        }
        s.uptime(clock.instant()).ifPresent(d -> o.put("uptime_seconds", d.toSeconds()));
        return o.put("detail", s.detail() == null ? "" : s.detail());
    }

    static IpcException toIpc(ServiceException e, ServiceControl control) {
        String message = e.getMessage();
        IpcErrorCode code = switch (e.reason()) {
            case NOT_PRIVILEGED -> {
                message += " (over IPC: the daemon runs as " + control.host().userName() + " and acts with its rights;"
                        + " pass \"user\": true for a per-user service, or run the steep-repl command with sudo on this"
                        + " machine)";
                yield IpcErrorCode.PERMISSION_DENIED;
            }
            case MANAGER_NOT_RUNNING -> IpcErrorCode.UNAVAILABLE;
            case LAUNCHER_NOT_FOUND -> IpcErrorCode.NOT_FOUND;
            case ALREADY_INSTALLED -> IpcErrorCode.ALREADY_EXISTS;
            case NOT_INSTALLED -> IpcErrorCode.SERVICE_NOT_INSTALLED;
            case UNSUPPORTED, COMMAND_FAILED, IO -> IpcErrorCode.OPERATION_FAILED;
        };
        return new IpcException(code, message, e);
    }
}
