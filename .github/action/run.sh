#!/usr/bin/env bash
# The step of the skci GitHub Action (action.yml) that runs `skci run`. Every input arrives as an
# environment variable and becomes exactly one argument (or, for `args`, one argument per
# whitespace-separated word) of an argument array: nothing is evaluated by a shell, so quotes, $(...),
# `;`, globs and the like in an input reach skci as literal text.
#
#   INPUT_TRACES       trace files or directories, one per line (blank lines ignored); passed after
#                      "--", so a path that starts with "-" is still a path
#   INPUT_SPEED        --speed (empty: skci's default)
#   INPUT_DURATION     --duration (empty: the whole trace)
#   INPUT_TIMEOUT      --timeout (empty: skci's default)
#   INPUT_CONFIG, INPUT_BASELINE_CONFIG, INPUT_BASELINE, INPUT_REPEAT
#                      --config, --baseline-config, --baseline, --repeat (each: empty is not passed)
#   INPUT_SHARD        --shard I/N (empty: every simulation)
#   INPUT_MERGE        when set, no simulation: the report directories under this directory (one per
#                      shard) are merged into INPUT_REPORT_DIR with `skci merge-reports`
#   INPUT_ARGS         extra flags, split on whitespace (no quoting; a value cannot contain spaces);
#                      a --speed, --duration or --timeout here wins over the input of that name
#   INPUT_REPORT_DIR   --report-dir; the files a previous run left there are removed first, so
#                      the upload never carries an older run's summary.json
#   SKCI_BIN           the skci command (from prepare.sh)
#
# Writes the step outputs result, exit-code and report-dir itself (skci's own GitHub outputs go to a
# scratch file so each output is written once) and exits with skci's exit code: 0 passed, 1 failed,
# 2 invalid input, 3 environment (safe to retry), 4 deadline, 5 inconclusive, 70 internal error,
# 130/143 interrupted.
set -euo pipefail

out=${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set; this script runs as a step of action.yml}
skci=${SKCI_BIN:?SKCI_BIN is not set}
report_dir=${INPUT_REPORT_DIR:-skci-reports}
# shellcheck source=../../scripts/lib/front-end.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/front-end.sh"

escape() {  # text for a workflow command: '%', CR and LF escaped, so user text cannot end the command
  local s=${1//'%'/'%25'}
  s=${s//$'\r'/'%0D'}
  printf '%s' "${s//$'\n'/'%0A'}"
}

result_of() {  # the words of skci's dev.skci.ExitCode (ExitCodeContractTest checks this list)
  case "$1" in
    0) echo passed ;;
    1) echo failed ;;
    2) echo invalid-input ;;
    3) echo environment-error ;;
    4) echo timed-out ;;
    5) echo inconclusive ;;
    70) echo internal-error ;;
    130 | 143) echo interrupted ;;
    *) echo error ;;
  esac
}

finish() {  # finish CODE: write the outputs, explain codes skci does not annotate itself, exit
  local code=$1 result
  result=$(result_of "$code")
  {
    echo "result=$result"
    echo "exit-code=$code"
    echo "report-dir=$report_dir"
  } >> "$out"
  case "$code" in
    2) echo "::error title=skci: invalid input (exit 2)::nothing was run; fix the traces, flags or config named above" ;;
    3) echo "::error title=skci: environment failure (exit 3)::the simulation environment failed (cluster boot, readiness gate or API server), not the change under test; safe to retry. Diagnostics: $(escape "$report_dir")" ;;
    4) echo "::error title=skci: deadline (exit 4)::the run's --timeout passed; raise the timeout input or replay less (--duration)" ;;
    5) echo "::warning title=skci: inconclusive (exit 5)::a simulation did not reproduce its trace faithfully, so it says nothing about the change; lower the speed or add capacity (see the report)" ;;
    70) echo "::error title=skci: internal error (exit 70)::skci itself failed (a bug), not the change; the reports were written; please report it with the output of --debug" ;;
    130 | 143) echo "::warning title=skci: interrupted (exit $code)::the run was interrupted and cleaned up" ;;
  esac
  if [[ -n "${GITHUB_STEP_SUMMARY:-}" && "$code" -ne 0 && "$code" -ne 1 ]]; then
    printf '### skci: %s (exit %s)\n\n' "$result" "$code" >> "$GITHUB_STEP_SUMMARY"
  fi
  exit "$code"
}

run_skci() {  # run_skci ARGS...: prints and runs skci, then finish with its exit code
  printf 'skci:'; printf ' %q' "$skci" "$@"; printf '\n'
  local scratch code=0
  scratch=$(mktemp)
  GITHUB_OUTPUT=$scratch "$skci" "$@" || code=$?   # skci's own outputs would duplicate ours
  rm -f "$scratch"
  finish "$code"
}

# An output value must stay on its line.
if [[ -z "$report_dir" || "$report_dir" == *$'\n'* || "$report_dir" == *$'\r'* ]]; then
  report_dir="skci-reports"
  echo "::error title=skci::input report-dir must be one non-empty line"
  finish 2
fi

skci_clear_reports "$report_dir"

if [[ -n "${INPUT_MERGE:-}" ]]; then
  if [[ "$INPUT_MERGE" == *$'\n'* || ! -d "$INPUT_MERGE" ]]; then
    echo "::error title=skci::input merge: '$(escape "$INPUT_MERGE")' is not a directory; give the directory actions/download-artifact wrote the shards' reports to"
    finish 2
  fi
  merge_dir=$INPUT_MERGE
  [[ "$merge_dir" != -* ]] || merge_dir=./$merge_dir   # never an option to find
  shards=()
  while IFS= read -r -d '' d; do shards+=("$d"); done < <(find "$merge_dir" -mindepth 1 -maxdepth 1 -type d -print0 | LC_ALL=C sort -z)
  if (( ${#shards[@]} == 0 )); then
    echo "::error title=skci: no shard reports (exit 3)::$(escape "$INPUT_MERGE") holds no report directories: no shard uploaded its reports; see the shards' jobs"
    finish 3
  fi
  run_skci merge-reports -o "$report_dir" -- "${shards[@]}"
fi

skci_split_traces "${INPUT_TRACES:-}"
if (( ${#skci_traces[@]} == 0 )) && [[ -z "${INPUT_CONFIG:-}" && ! -f skci.yaml ]]; then
  echo "::error title=skci::input traces names no trace file or directory (one per line), and there is no config (skci.yaml) to list them"
  finish 2
fi

if ! skci_run_args "$report_dir" "${INPUT_SPEED:-}" "${INPUT_DURATION:-}" "${INPUT_TIMEOUT:-}" "${INPUT_ARGS:-}" \
    "${INPUT_CONFIG:-}" "${INPUT_BASELINE_CONFIG:-}" "${INPUT_BASELINE:-}" "${INPUT_REPEAT:-}" "${INPUT_SHARD:-}"; then
  echo "::error title=skci::input args: $skci_error"
  finish 2
fi
for note in "${skci_notes[@]}"; do echo "::notice title=skci::$(escape "$note")"; done
run_skci "${skci_args[@]}" -- "${skci_traces[@]}"
