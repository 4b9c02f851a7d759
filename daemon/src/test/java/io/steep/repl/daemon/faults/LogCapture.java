package io.steep.repl.daemon.faults;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every log event of this JVM while open, rendered the way an operator would read it (level, logger, message,
 * the whole exception chain), so a test can count lines or scan them for secrets.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final List<ILoggingEvent> events = new ArrayList<>();
    private final Logger root;

    private LogCapture() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        setContext(ctx);
        setName("fault-test-capture");
        start();
        root.addAppender(this);
    }

    static LogCapture open() {
        return new LogCapture();
    }

    @Override
    protected synchronized void append(ILoggingEvent e) {
        e.prepareForDeferredProcessing();
        events.add(e);
    }

    /** Each event as text: {@code LEVEL logger - message} followed by the exception chain, if any. */
    synchronized List<String> lines() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : events) {
            StringBuilder b = new StringBuilder().append(e.getLevel()).append(' ').append(e.getLoggerName()).append(" - ")
                    .append(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                b.append("\n  caused by ").append(t.getClassName()).append(": ").append(t.getMessage());
                for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
                    b.append("\n    ").append(s.getSTEAsString());
                }
            }
            out.add(b.toString());
        }
        return out;
    }

    List<String> lines(Predicate<String> filter) {
        return lines().stream().filter(filter).toList();
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
