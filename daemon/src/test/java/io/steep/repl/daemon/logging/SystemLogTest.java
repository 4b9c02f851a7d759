package io.steep.repl.daemon.logging;

import io.steep.repl.daemon.PosixModes;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.sun.jna.platform.win32.WinNT;
import io.steep.repl.daemon.config.PlatformPaths.Os;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SystemLogTest {

    @TempDir
    Path dir;

    @AfterEach
    void resetLogging() {
        LoggingSetup.configure("info", Optional.empty(), false, Os.LINUX, Map.of());
    }

    @Test
    void priorities() {
        assertThat(SyslogPriority.of(Level.ERROR)).isEqualTo(3);
        assertThat(SyslogPriority.of(Level.WARN)).isEqualTo(4);
        assertThat(SyslogPriority.of(Level.INFO)).isEqualTo(6);
        assertThat(SyslogPriority.of(Level.DEBUG)).isEqualTo(7);
        assertThat(SyslogPriority.of(Level.TRACE)).isEqualTo(7);
        assertThat(WindowsEventLog.eventType(3)).isEqualTo(WinNT.EVENTLOG_ERROR_TYPE);
        assertThat(WindowsEventLog.eventType(4)).isEqualTo(WinNT.EVENTLOG_WARNING_TYPE);
        assertThat(WindowsEventLog.eventType(6)).isEqualTo(WinNT.EVENTLOG_INFORMATION_TYPE);
        assertThat(WindowsEventLog.eventType(7)).isEqualTo(WinNT.EVENTLOG_INFORMATION_TYPE);
        assertThat(MacUnifiedLog.syslogPriority(4)).isEqualTo(24 | 4);
    }

    @Test
    void journalPrefixesEveryLineOfAMessage() {
        assertThat(JournalSystemLog.format(3, "boom\n\tat a.b(C.java:1)")).isEqualTo("<3>boom\n<3>\tat a.b(C.java:1)\n");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new JournalSystemLog(new PrintStream(buf, true, StandardCharsets.UTF_8)).log(6, "hello");
        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("<6>hello\n");
    }

    @Test
    void choiceByOsAndEnvironment() {
        assertThat(SystemLogs.choose(Os.LINUX, Map.of())).isEmpty();
        assertThat(SystemLogs.choose(Os.LINUX, Map.of("JOURNAL_STREAM", "8:1234"))).contains(SystemLogs.Kind.JOURNAL);
        assertThat(SystemLogs.choose(Os.LINUX, Map.of("INVOCATION_ID", "abc"))).contains(SystemLogs.Kind.JOURNAL);
        assertThat(SystemLogs.choose(Os.MACOS, Map.of("XPC_SERVICE_NAME", "0"))).isEmpty(); // a Terminal session
        assertThat(SystemLogs.choose(Os.MACOS, Map.of("XPC_SERVICE_NAME", "io.steep.repl"))).contains(SystemLogs.Kind.MAC_UNIFIED_LOG);
        assertThat(SystemLogs.choose(Os.WINDOWS, Map.of())).isEmpty();
        assertThat(SystemLogs.choose(Os.WINDOWS, Map.of("STEEP_REPL_SERVICE", "1"))).contains(SystemLogs.Kind.WINDOWS_EVENT_LOG);
        assertThat(SystemLogs.choose(Os.WINDOWS, Map.of("JOURNAL_STREAM", "8:1"))).isEmpty();
    }

    @Test
    void appenderForwardsFormattedEventsWithTheirPriority() {
        List<String> got = new ArrayList<>();
        SystemLog recorder = new SystemLog() {
            @Override public void log(int priority, String message) { got.add(priority + "|" + message); }
            @Override public String describe() { return "recorder"; }
        };
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        SystemLogAppender a = new SystemLogAppender(recorder);
        a.setContext(ctx);
        a.start();
        ch.qos.logback.classic.Logger logger = ctx.getLogger("io.steep.test.Forwarded");
        logger.addAppender(a);
        try {
            logger.warn("disk {} nearly full", "/var");
            logger.error("failed", new IllegalStateException("why"));
        } finally {
            logger.detachAppender(a);
        }
        assertThat(got.get(0)).isEqualTo("4|WARN  Forwarded: disk /var nearly full");
        assertThat(got.get(1)).startsWith("3|ERROR Forwarded: failed\njava.lang.IllegalStateException: why");
    }

    @Test
    void rotatingFileIsPrivateAndReceivesTheLog() throws Exception {
        Path file = dir.resolve("logs/steep-repl.log");
        String where = LoggingSetup.configure("warn", Optional.of(file), false, Os.LINUX, Map.of());
        assertThat(where).isEqualTo("stderr and " + file);
        LoggerFactory.getLogger("io.steep.test").info("not at warn level");
        LoggerFactory.getLogger("io.steep.test").warn("written to the file");
        LoggingSetup.shutdown();
        assertThat(Files.readString(file)).contains("WARN").contains("written to the file").doesNotContain("not at warn level");
        PosixModes.assertMode(file, "rw-r-----");
    }
}
