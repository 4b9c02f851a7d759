@echo off
rem steep-repl launcher (plain distribution) for Windows.
setlocal
set "APP_HOME=%~dp0.."
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java.exe")
rem The JDK 25 AOT cache the build's training run made (docs/benchmarks.md); without it the JVM starts as usual.
set "AOT="
rem With the cache: no training replay (the cache holds no method profiles; see bin/steep-repl).
rem The cache path is quoted inside the value: an install path with spaces must stay one argument.
if exist "%APP_HOME%\lib\steep-repl.aot" set "AOT="-XX:AOTCache=%APP_HOME%\lib\steep-repl.aot" -XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining"
"%JAVA%" -Xms16m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow %AOT% %STEEP_REPL_JAVA_OPTS% -Dsteep.repl.home="%APP_HOME%" -cp "%APP_HOME%\lib\*" io.steep.repl.daemon.Main %*
exit /b %ERRORLEVEL%
