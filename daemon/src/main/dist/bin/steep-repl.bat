@echo off
rem steep-repl launcher (plain distribution) for Windows.
setlocal
set "APP_HOME=%~dp0.."
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java.exe")
"%JAVA%" -Xms16m -Xmx256m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED %STEEP_REPL_JAVA_OPTS% -Dsteep.repl.home="%APP_HOME%" -cp "%APP_HOME%\lib\*" io.steep.repl.daemon.Main %*
exit /b %ERRORLEVEL%
