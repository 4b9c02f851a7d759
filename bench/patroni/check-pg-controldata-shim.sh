#!/usr/bin/env bash
# Checks bench/patroni/pg_controldata beyond the cross-check bench/run makes on every run (shim vs the PG 18
# server's pg_control_*() functions):
#  1. format: on a fresh PostgreSQL 15 cluster (Debian's postgresql-15, if installed) the shim's output is byte for
#     byte the output of PG 15's own pg_controldata (same labels, padding, LSN and time formats);
#  2. a flipped byte, or a control file of an unknown version, makes it fail with a message and print nothing.
# Usage: bench/patroni/check-pg-controldata-shim.sh [PG18_DATADIR]   (also checks the shim reads a PG 18 cluster)
set -euo pipefail
SHIM=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)/pg_controldata
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export LANG=C LC_ALL=C
AS=()
[ "$(id -u)" = 0 ] && AS=(unshare -U)   # initdb refuses root, as the harness knows
fails=0
PG15=/usr/lib/postgresql/15/bin
if [ -x "$PG15/initdb" ]; then
  "${AS[@]}" "$PG15/initdb" -D "$TMP/pg15" -U postgres -A trust --locale=C >/dev/null 2>&1
  if diff <("$PG15/pg_controldata" "$TMP/pg15") <("$SHIM" "$TMP/pg15") >"$TMP/diff"; then
    echo "ok: byte-identical to PostgreSQL 15's pg_controldata on a PG 15 cluster"
  else
    echo "FAIL: differs from PostgreSQL 15's pg_controldata:"; cat "$TMP/diff"; fails=1
  fi
  mkdir -p "$TMP/bad/global"
  cp "$TMP/pg15/global/pg_control" "$TMP/bad/global/pg_control"
  printf '\x01' | dd of="$TMP/bad/global/pg_control" bs=1 seek=100 conv=notrunc status=none
  if out=$("$SHIM" "$TMP/bad" 2>"$TMP/err"); then
    echo "FAIL: a corrupt control file was accepted"; fails=1
  elif [ -n "$out" ]; then
    echo "FAIL: printed values for a corrupt control file"; fails=1
  else
    echo "ok: corrupt control file refused: $(head -1 "$TMP/err")"
  fi
  printf '\x63\x00\x00\x00' | dd of="$TMP/bad/global/pg_control" bs=1 seek=8 conv=notrunc status=none
  if "$SHIM" "$TMP/bad" >/dev/null 2>"$TMP/err"; then
    echo "FAIL: an unknown pg_control_version was accepted"; fails=1
  else
    echo "ok: unknown version refused: $(head -1 "$TMP/err")"
  fi
else
  echo "skip: $PG15/initdb not installed (apt-get install postgresql-15) for the byte-for-byte format check"
fi
if [ $# -ge 1 ]; then
  if "$SHIM" "$1" | grep -q '^pg_control version number: *1800$'; then
    echo "ok: reads the PG 18 cluster in $1 (CRC verified)"
  else
    echo "FAIL: could not read the PG 18 cluster in $1"; fails=1
  fi
fi
exit $fails
