#!/usr/bin/env bash
# The body of the GitLab CI job template (gitlab/skci.gitlab-ci.yml): runs `skci run` with the job's
# variables and exits with skci's exit code, which GitLab records as the job's exit code (the
# template retries exit code 3 only). Every variable becomes exactly one argument of an argument
# array (SKCI_ARGS: one per whitespace-separated word); nothing is evaluated by a shell.
#
#   SKCI_TRACES    trace files or directories, one per line (blank lines ignored); relative to the
#                  project directory; passed after "--"
#   SKCI_SPEED     --speed      SKCI_DURATION  --duration      SKCI_TIMEOUT  --timeout
#   SKCI_CONFIG    --config     SKCI_BASELINE_CONFIG  --baseline-config
#   SKCI_BASELINE  --baseline   SKCI_REPEAT    --repeat        (each: empty is not passed)
#   SKCI_SHARD     --shard I/N; empty in a job with `parallel: N` means "$CI_NODE_INDEX/$CI_NODE_TOTAL".
#                  A shard writes its reports to $SKCI_REPORT_DIR/shard-I-of-N, so that a later job that
#                  gets every shard's artifacts finds them side by side
#   SKCI_MODE      "merge": no simulation; `skci merge-reports` merges $SKCI_REPORT_DIR/shard-*/ into
#                  $SKCI_REPORT_DIR (the template's .skci-merge job)
#   SKCI_ARGS      extra flags, split on whitespace (no quoting); a --speed, --duration or
#                  --timeout here wins over the variable of that name; --report-dir is refused
#   SKCI_REPORT_DIR  --report-dir (the template keeps it at skci-reports, where its artifacts are);
#                  the files a previous run left there are removed first
#   SKCI_BIN       the skci command (default: skci next to this script's checkout)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
skci=${SKCI_BIN:-$here/bin/skci}
report_dir=${SKCI_REPORT_DIR:-skci-reports}
# shellcheck source=../scripts/lib/front-end.sh
source "$here/scripts/lib/front-end.sh"

if [[ "${SKCI_MODE:-run}" == merge ]]; then
  shopt -s nullglob
  shards=("$report_dir"/shard-*/)
  shopt -u nullglob
  if (( ${#shards[@]} == 0 )); then
    echo "skci: no shard reports in $report_dir/shard-*/: no shard job left its artifacts (see their logs)" >&2
    exit 3
  fi
  skci_clear_reports "$report_dir"
  args=(merge-reports -o "$report_dir" -- "${shards[@]}")
  printf 'skci:'; printf ' %q' "$skci" "${args[@]}"; printf '\n'
  code=0
  "$skci" "${args[@]}" || code=$?
  echo "skci: merged ${#shards[@]} shard(s): exit $code"
  exit "$code"
fi

shard=${SKCI_SHARD:-}
if [[ -z "$shard" && "${CI_NODE_TOTAL:-1}" =~ ^[0-9]+$ && "${CI_NODE_TOTAL:-1}" -gt 1 ]]; then
  shard="${CI_NODE_INDEX:-}/${CI_NODE_TOTAL}"
fi
if [[ -n "$shard" ]]; then
  if [[ ! "$shard" =~ ^[0-9]{1,4}/[0-9]{1,4}$ ]]; then
    echo "skci: SKCI_SHARD must be I/N (1-based), e.g. 1/2, not '$shard'" >&2
    exit 2
  fi
  report_dir="$report_dir/shard-${shard%/*}-of-${shard#*/}"
fi

skci_clear_reports "$report_dir"

skci_split_traces "${SKCI_TRACES:-}"
if (( ${#skci_traces[@]} == 0 )) && [[ -z "${SKCI_CONFIG:-}" && ! -f skci.yaml ]]; then
  echo "skci: SKCI_TRACES names no trace file or directory (one per line), and there is no config (SKCI_CONFIG, skci.yaml) to list them" >&2
  exit 2
fi
if ! skci_run_args "$report_dir" "${SKCI_SPEED:-}" "${SKCI_DURATION:-}" "${SKCI_TIMEOUT:-}" "${SKCI_ARGS:-}" \
    "${SKCI_CONFIG:-}" "${SKCI_BASELINE_CONFIG:-}" "${SKCI_BASELINE:-}" "${SKCI_REPEAT:-}" "$shard"; then
  echo "skci: SKCI_ARGS: $skci_error" >&2
  exit 2
fi
for note in "${skci_notes[@]}"; do echo "skci: note: $note"; done
args=("${skci_args[@]}" -- "${skci_traces[@]}")

printf 'skci:'; printf ' %q' "$skci" "${args[@]}"; printf '\n'
code=0
"$skci" "${args[@]}" || code=$?
case "$code" in
  0) echo "skci: passed" ;;
  1) echo "skci: a simulation failed (exit 1); junit.xml and the diagnostics are in $report_dir/" ;;
  2) echo "skci: invalid input (exit 2); nothing was run" ;;
  3) echo "skci: environment failure (exit 3): the cluster, a component, a readiness gate or the API server failed, not the change; retried if attempts remain. Diagnostics in $report_dir/" ;;
  4) echo "skci: the --timeout passed (exit 4)" ;;
  5) echo "skci: inconclusive (exit 5): a simulation did not reproduce its trace faithfully, so it says nothing about the change; lower the speed or add capacity (see $report_dir/report.html)" ;;
  70) echo "skci: internal error (exit 70): skci itself failed (a bug), not the change; the reports are in $report_dir/; please report it with the output of --debug" ;;
  130 | 143) echo "skci: interrupted (exit $code), after cleanup" ;;
  *) echo "skci: exit code $code" ;;
esac
exit "$code"
