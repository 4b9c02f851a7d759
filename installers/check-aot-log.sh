#!/usr/bin/env bash
# Says whether an installed steep-repl launcher mapped and used its AOT cache, from what its JVM logged with
#   JAVA_TOOL_OPTIONS='-Xlog:aot=info,cds=info,class+path=info,class+load=info' <launcher> --version
# The JVM silently starts without the cache when anything it validates differs (the jars' sizes and file times,
# the class path, the runtime's lib/modules, the JVM build), so only its own log proves the cache works. Proof:
# the app class path validated, AOT-linked classes on, no [error]/[warning] from aot/cds, and our own classes
# (io.steep.repl.*) loaded from the "shared objects file" — the runtime's default CDS archive holds JDK classes
# only, so those can only come from steep-repl.aot.
# Used by linux/test-deb.sh (the installed DEB) and the macOS and Windows CI jobs (the DMG's app, as mounted and as
# copied; the MSI's installation, whose cache the install made).
#
# Usage: check-aot-log.sh LOG_FILE   exit 0 with "uses the AOT cache: …", or exit 1 with what was missing
set -euo pipefail
log=${1:?usage: check-aot-log.sh LOG_FILE}
[ -s "$log" ] || { echo "does not use the AOT cache: $log is empty or missing"; exit 1; }

ours=$(grep -c 'io\.steep\.repl\..* source: shared objects file' "$log" || true)
all=$(grep -c ' source: ' "$log" || true)
shared=$(grep -c ' source: shared objects file' "$log" || true)
bad=$(grep -v '\[class,load' "$log" | grep -E '\]\[(error|warning) *\]\[(aot|cds)|[Mm]ismatch|disabled because' | head -3 || true)
missing=()
grep -q 'Using AOT-linked classes: true' "$log" || missing+=("'Using AOT-linked classes: true'")
grep -q 'Archived app classpath validation: passed' "$log" || missing+=("'Archived app classpath validation: passed'")
grep -Eq 'lib[/\\]modules validation: passed' "$log" || missing+=("'lib/modules validation: passed'")
[ "$ours" -gt 0 ] || missing+=("io.steep.repl classes from the cache")

if [ ${#missing[@]} -eq 0 ] && [ -z "$bad" ]; then
  echo "uses the AOT cache: $shared of $all classes from it for --version ($ours of ours)"
  exit 0
fi
echo "does not use the AOT cache (ours from it: $ours; $shared of $all shared)"
[ -z "$bad" ] || echo "  the JVM said: $bad"
[ ${#missing[@]} -eq 0 ] || printf '  missing: %s\n' "${missing[@]}"
grep -m5 -E '\[(aot|cds|class,path) *\]' "$log" | sed 's/^/  log: /' || true
exit 1
