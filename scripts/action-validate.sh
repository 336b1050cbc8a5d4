#!/usr/bin/env bash
# What the GitHub Action (action.yml) runs: `bulkhead validate` on the given paths, the report as
# SARIF for code scanning, the exit code of validate kept (0 clean, 1 findings at or above fail-on,
# 2 bad input, 3 environment). Inputs come as environment variables:
#   BULKHEAD_PATHS    whitespace-separated paths (default .)
#   BULKHEAD_PROFILE  baseline | restricted (default restricted)
#   BULKHEAD_FAIL_ON  critical | high | medium | low | info | none (default high)
#   BULKHEAD_SARIF    where to write the SARIF file (default bulkhead.sarif)
#   BULKHEAD_BIN      the command to run (default bulkhead, as installed by the action)
set -uo pipefail

read -r -a paths <<< "${BULKHEAD_PATHS:-.}"
[ ${#paths[@]} -gt 0 ] || paths=(.)
sarif=${BULKHEAD_SARIF:-bulkhead.sarif}
read -r -a bin <<< "${BULKHEAD_BIN:-bulkhead}"

"${bin[@]}" validate "${paths[@]}" --profile "${BULKHEAD_PROFILE:-restricted}" \
  --fail-on "${BULKHEAD_FAIL_ON:-high}" --format sarif --output "$sarif"
status=$?
if [ -f "$sarif" ]; then
  node -e '
    const runs = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).runs ?? [];
    const n = runs.reduce((sum, r) => sum + (r.results ?? []).length, 0);
    console.log(`bulkhead: ${n} finding(s) in ${process.argv[1]} (exit ${process.argv[2]})`);
  ' "$sarif" "$status"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"
  echo "exit-code=$status" >> "$GITHUB_OUTPUT"
fi
exit "$status"
