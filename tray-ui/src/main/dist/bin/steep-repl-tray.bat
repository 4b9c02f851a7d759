@echo off
rem steep-repl-tray launcher (plain distribution)
setlocal
set APP_HOME=%~dp0..
if defined JAVA_HOME (set JAVA="%JAVA_HOME%\bin\javaw") else (set JAVA=javaw)
start "" %JAVA% -Xmx256m --enable-native-access=ALL-UNNAMED -Dslf4j.internal.verbosity=ERROR %STEEP_REPL_TRAY_JAVA_OPTS% -Dsteep.repl.tray.home="%APP_HOME%" -cp "%APP_HOME%\lib\*" io.steep.repl.tray.TrayApp %*
