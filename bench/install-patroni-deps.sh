#!/usr/bin/env bash
# Installs what bench/run needs to run Patroni on the bench's PostgreSQL 18 binaries (docs/benchmarks.md,
# "Patroni side by side"): Debian's patroni (with python3-etcd, which its etcd3 DCS imports), etcd-server, and
# the PostgreSQL 15 client tools for pg_isready (libpq-based, protocol 3.0: it works against a PG 18 server).
# Idempotent: when everything is there it only prints what it found; it never upgrades installed packages. Called by bench/run unless --no-patroni;
# not part of the build or of .ci/run.
# Exit 0: ready (prints "patroni=<ver> etcd=<ver> pg_isready=<path>"); exit 2: cannot install here (reason on
# stderr; bench/run then skips the Patroni step instead of failing).
set -uo pipefail

find_pg_isready() {
  # a real binary, not Debian's pg_wrapper in /usr/bin (which needs a configured cluster to pick a version)
  ls -d /usr/lib/postgresql/*/bin/pg_isready 2>/dev/null | sort -V | tail -1
}

patroni_python() {
  # the interpreter patroni runs on (its shebang), not whatever python3 comes first on PATH (pyenv, venvs)
  local bin
  bin=$(command -v patroni 2>/dev/null) || return 1
  head -1 "$bin" | sed -n 's/^#! *//p' | awk '{print $1}'
}

ready() {
  local py
  command -v etcd >/dev/null 2>&1 && py=$(patroni_python) && [ -n "$py" ] && [ -n "$(find_pg_isready)" ] \
    && "$py" -c 'import etcd, psycopg2, yaml' >/dev/null 2>&1
}

report() {
  echo "patroni=$(patroni --version 2>/dev/null | awk '{print $2}') etcd=$(etcd --version 2>/dev/null | awk '/^etcd Version/ {print $3}') pg_isready=$(find_pg_isready)"
}

if ready; then
  report
  exit 0
fi

PKGS=(patroni python3-etcd etcd-server postgresql-client-15)
if ! command -v apt-get >/dev/null 2>&1; then
  echo "needs ${PKGS[*]} (Debian/Ubuntu packages) and apt-get is not available here: install patroni, etcd and a pg_isready by hand" >&2
  exit 2
fi
SUDO=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "needs ${PKGS[*]}: not root and no password-less sudo; run as root: apt-get install ${PKGS[*]}" >&2
    exit 2
  fi
fi
echo "bench: installing ${PKGS[*]} with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
if ! "${SUDO[@]}" apt-get install -y -q --no-install-recommends --no-upgrade "${PKGS[@]}" >&2; then
  # stale or missing package lists: refresh once and retry
  "${SUDO[@]}" apt-get update -q >&2 || true
  if ! "${SUDO[@]}" apt-get install -y -q --no-install-recommends --no-upgrade "${PKGS[@]}" >&2; then
    echo "apt-get could not install ${PKGS[*]} (no repository reachable, or the packages do not exist in this release)" >&2
    exit 2
  fi
fi
if ! ready; then
  echo "installed ${PKGS[*]}, but patroni, etcd, python3-etcd or /usr/lib/postgresql/*/bin/pg_isready is still missing" >&2
  exit 2
fi
report
