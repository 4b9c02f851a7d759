package io.steep.repl.daemon.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import io.steep.repl.daemon.config.PlatformPaths;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Logging set up in code (no logback.xml to get lost): the OS log when running as a service (see
 * {@link SystemLogs}), stderr otherwise, plus an optional rotating file. Libraries that chatter (Hikari, zonky,
 * pgjdbc) are held back unless --debug.
 */
public final class LoggingSetup {

    private LoggingSetup() {
    }

    /** @return a line saying where logs go, for the start-up banner */
    public static String configure(String level, Optional<Path> file, boolean debug, PlatformPaths.Os os, Map<String, String> env) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        Level root = debug ? Level.DEBUG : Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO);
        Logger rootLogger = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        rootLogger.setLevel(root);
        Level libraries = debug ? Level.DEBUG : Level.WARN;
        // Hikari logs every failed connection attempt with a stack trace; the PostgreSQL monitor already reports
        // the state once per distinct problem, so only Hikari's errors get through.
        ctx.getLogger("com.zaxxer.hikari").setLevel(debug ? Level.DEBUG : Level.ERROR);
        ctx.getLogger("io.zonky").setLevel(libraries);
        ctx.getLogger("org.postgresql").setLevel(debug ? Level.INFO : Level.WARN);

        StringBuilder where = new StringBuilder();
        Optional<SystemLogs.Kind> kind = SystemLogs.choose(os, env);
        Appender<ILoggingEvent> main;
        if (kind.isPresent()) {
            SystemLog sys = SystemLogs.open(kind.get());
            SystemLogAppender a = new SystemLogAppender(sys);
            a.setContext(ctx);
            a.setName("system");
            a.start();
            main = a;
            where.append(sys.describe());
        } else {
            main = stderr(ctx, "%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n");
            where.append("stderr");
        }
        rootLogger.addAppender(main);
        file.ifPresent(f -> {
            rootLogger.addAppender(rollingFile(ctx, f));
            where.append(" and ").append(f);
        });
        return where.toString();
    }

    private static Appender<ILoggingEvent> rollingFile(LoggerContext ctx, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!Files.exists(file) && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                // logs can name hosts and roles: owner and group only
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the log file " + file + ": " + e.getMessage()
                    + " (check repl.logging.file and the directory's permissions)", e);
        }
        RollingFileAppender<ILoggingEvent> a = new RollingFileAppender<>();
        a.setContext(ctx);
        a.setName("file");
        a.setFile(file.toString());
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(ctx);
        policy.setParent(a);
        policy.setFileNamePattern(file + ".%d{yyyy-MM-dd}.%i.gz");
        policy.setMaxFileSize(FileSize.valueOf("10MB"));
        policy.setMaxHistory(14);
        policy.setTotalSizeCap(FileSize.valueOf("200MB"));
        policy.start();
        a.setRollingPolicy(policy);
        a.setEncoder(encoder(ctx, "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36}: %msg%n"));
        a.start();
        return a;
    }

    private static PatternLayoutEncoder encoder(LoggerContext ctx, String pattern) {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(ctx);
        e.setPattern(pattern);
        e.start();
        return e;
    }

    /**
     * Every command but {@code run}: warnings and errors only, on stderr. A command's own output goes through its
     * PrintWriter; without this, logback's default configuration printed the libraries' DEBUG lines (Netty's and
     * gRPC's: some sixty for one {@code health --remote}).
     */
    public static void forCommands() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        Logger rootLogger = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        rootLogger.setLevel(Level.WARN);
        rootLogger.addAppender(stderr(ctx, "steep-repl: %level %logger{0}: %msg%n"));
    }

    private static Appender<ILoggingEvent> stderr(LoggerContext ctx, String pattern) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setName("stderr");
        console.setTarget("System.err");
        console.setEncoder(encoder(ctx, pattern));
        console.start();
        return console;
    }

    /** Flushes and closes the appenders (before the process halts). */
    public static void shutdown() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ctx.stop();
        }
    }
}
