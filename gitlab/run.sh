#!/usr/bin/env bash
# The body of the GitLab CI job template (gitlab/skci.gitlab-ci.yml): runs `skci run` with the job's
# variables and exits with skci's exit code, which GitLab records as the job's exit code (the
# template retries exit code 3 only). Every variable becomes exactly one argument of an argument
# array (SKCI_ARGS: one per whitespace-separated word); nothing is evaluated by a shell.
#
#   SKCI_TRACES    trace files or directories, one per line (blank lines ignored); relative to the
#                  project directory; passed after "--"
#   SKCI_SPEED     --speed      SKCI_DURATION  --duration      SKCI_TIMEOUT  --timeout
#   SKCI_ARGS      extra flags, split on whitespace (no quoting)
#   SKCI_REPORT_DIR  --report-dir (the template keeps it at skci-reports, where its artifacts are)
#   SKCI_BIN       the skci command (default: skci next to this script's checkout)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
skci=${SKCI_BIN:-$here/bin/skci}
report_dir=${SKCI_REPORT_DIR:-skci-reports}

traces=()
while IFS= read -r line || [[ -n "$line" ]]; do
  line=${line%$'\r'}
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  [[ -n "$line" ]] && traces+=("$line")
done <<< "${SKCI_TRACES:-}"
if (( ${#traces[@]} == 0 )); then
  echo "skci: SKCI_TRACES names no trace file or directory (one per line)" >&2
  exit 2
fi

args=(run --report-dir "$report_dir")
[[ -n "${SKCI_SPEED:-}" ]] && args+=(--speed "$SKCI_SPEED")
[[ -n "${SKCI_DURATION:-}" ]] && args+=(--duration "$SKCI_DURATION")
[[ -n "${SKCI_TIMEOUT:-}" ]] && args+=(--timeout "$SKCI_TIMEOUT")
if [[ -n "${SKCI_ARGS:-}" ]]; then
  read -r -d '' -a extra <<< "$SKCI_ARGS" || true
  args+=("${extra[@]}")
fi
args+=(-- "${traces[@]}")

printf 'skci:'; printf ' %q' "$skci" "${args[@]}"; printf '\n'
code=0
"$skci" "${args[@]}" || code=$?
case "$code" in
  0) echo "skci: passed" ;;
  1) echo "skci: a simulation failed (exit 1); junit.xml and the diagnostics are in $report_dir/" ;;
  2) echo "skci: invalid input (exit 2); nothing was run" ;;
  3) echo "skci: environment failure (exit 3): the cluster or a readiness gate failed, not the change; retried if attempts remain. Diagnostics in $report_dir/" ;;
  4) echo "skci: the --timeout passed (exit 4)" ;;
  130 | 143) echo "skci: interrupted (exit $code), after cleanup" ;;
  *) echo "skci: exit code $code" ;;
esac
exit "$code"
