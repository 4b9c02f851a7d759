# Turns the DEB's default config (installers/linux/debian/config.yaml, the one source of the default settings)
# into the MSI's %ProgramData%\steep\config.yaml: only the comments that name Linux commands and paths change.
# MsiServiceFragmentTest fails when a Linux path is left over, i.e. when the DEB file changed under this script.
s|^#     sudo systemctl restart steep-repl$|#     "C:\\Program Files\\steep-repl\\steep-repl.exe" restart      (from an elevated prompt)|
s|^# Full reference: /usr/share/doc/steep-repl/config.md, or docs/config.md in the source\.$|# Full reference: docs/config.md in the source.|
s|^# dpkg keeps your edits on upgrade (this file is a conffile)\.|# The MSI keeps your edits on upgrade and uninstall (it only writes this file when it is missing).|
s|^\( *\)# Or use ~steep-repl/\.pgpass (/var/lib/steep-repl/\.pgpass), or peer authentication on the local socket\.$|\1# Or use pgpass.conf in %APPDATA%\\postgresql of the service account (LocalSystem).|
s|^\( *\)# password_command: \[/usr/bin/cat, /etc/steep/pgpassword\]$|\1# password_command: [powershell.exe, -NoProfile, -Command, "Get-Content C:/ProgramData/steep/pgpassword"]|
s|^\( *\)# path: /run/steep-repl/steep-repl\.sock$|\1# path: \\\\.\\pipe\\steep-repl|
s|^\( *\)# spool_dir: /var/lib/steep-repl/spool$|\1# spool_dir: C:\\ProgramData\\steep\\data\\spool|
s|# the journal has it: journalctl -u steep-repl$|# the service log: C:\\ProgramData\\steep\\logs|
