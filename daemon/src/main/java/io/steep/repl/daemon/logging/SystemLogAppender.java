package io.steep.repl.daemon.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/** Logback → {@link SystemLog}. The OS log adds its own timestamp and process, so the layout leaves them out. */
public final class SystemLogAppender extends AppenderBase<ILoggingEvent> {

    private final SystemLog target;
    private PatternLayout layout;

    public SystemLogAppender(SystemLog target) {
        this.target = target;
    }

    @Override
    public void start() {
        layout = new PatternLayout();
        layout.setContext(getContext());
        layout.setPattern("%-5level %logger{0}: %msg%n%ex{full}");
        layout.start();
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        target.log(SyslogPriority.of(event.getLevel()), layout.doLayout(event).stripTrailing());
    }

    @Override
    public void stop() {
        super.stop();
        target.close();
    }
}
