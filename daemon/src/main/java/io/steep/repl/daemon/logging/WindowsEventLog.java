package io.steep.repl.daemon.logging;

import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.WinNT;

/**
 * The Windows Event Log (Application log, source "steep-repl") through JNA: RegisterEventSource + ReportEvent.
 * The source's message file is registered by the installer; without it Event Viewer still shows the text.
 */
public final class WindowsEventLog implements SystemLog {

    public static final String SOURCE = "steep-repl";
    private final WinNT.HANDLE handle;

    public WindowsEventLog() {
        handle = Advapi32.INSTANCE.RegisterEventSource(null, SOURCE);
        if (handle == null) {
            throw new IllegalStateException("RegisterEventSource(" + SOURCE + ") failed");
        }
    }

    /** Event type for a syslog priority. */
    public static int eventType(int priority) {
        if (priority <= SyslogPriority.ERR) {
            return WinNT.EVENTLOG_ERROR_TYPE;
        }
        if (priority == SyslogPriority.WARNING) {
            return WinNT.EVENTLOG_WARNING_TYPE;
        }
        return WinNT.EVENTLOG_INFORMATION_TYPE;
    }

    @Override
    public void log(int priority, String message) {
        // Event Log strings are limited to 31 839 characters
        String text = message.length() > 31_000 ? message.substring(0, 31_000) + "…" : message;
        Advapi32.INSTANCE.ReportEvent(handle, eventType(priority), 0, 0, null, 1, 0, new String[] {text}, null);
    }

    @Override
    public String describe() {
        return "Windows Event Log (Application, source " + SOURCE + ")";
    }

    @Override
    public void close() {
        Advapi32.INSTANCE.DeregisterEventSource(handle);
    }
}
