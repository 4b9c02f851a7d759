/**
 * Installing and controlling the steep-repl daemon as an OS service: systemd units on Linux, launchd jobs on
 * macOS, a procrun-hosted service on Windows. {@link io.steep.repl.daemon.service.ServiceControl} is the entry
 * point; each OS's files and command lines come from one renderer ({@link io.steep.repl.daemon.service.SystemdUnit},
 * {@link io.steep.repl.daemon.service.LaunchdPlist}, {@link io.steep.repl.daemon.service.ProcrunCommand}) that the
 * installers reuse.
 */
package io.steep.repl.daemon.service;
