#!/usr/bin/env bash
# Validates the GitHub Actions workflows against the workflow schema (and action inputs) with action-validator,
# fetched from the npm registry on first use. Usage: installers/linux/check-workflows.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v npx >/dev/null || { echo "npx (npm) is missing: apt-get install npm" >&2; exit 1; }
status=0
for wf in "$root"/.github/workflows/*.yml; do
  if npx --yes @action-validator/cli@0.6.0 "$wf"; then
    echo "ok   ${wf#$root/}"
  else
    echo "FAIL ${wf#$root/}"; status=1
  fi
done
exit $status
