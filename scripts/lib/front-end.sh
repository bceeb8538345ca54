# shellcheck shell=bash
# What the GitHub Action (.github/action/run.sh) and the GitLab job (gitlab/run.sh) share: turning
# their inputs into the argument list of `skci run`, and clearing the reports a previous run left.
# Sourced, never executed. Inputs are plain strings; nothing here is evaluated by a shell.

# skci_split_traces TEXT: sets the array skci_traces to TEXT's non-blank lines, trimmed.
skci_split_traces() {
  local line
  skci_traces=()
  while IFS= read -r line || [[ -n "$line" ]]; do
    line=${line%$'\r'}
    line="${line#"${line%%[![:space:]]*}"}"   # trim leading whitespace
    line="${line%"${line##*[![:space:]]}"}"   # trim trailing whitespace
    [[ -n "$line" ]] && skci_traces+=("$line")
  done <<< "$1"
  return 0   # not the status of the last line's test (set -e in the callers)
}

# skci_run_args REPORT_DIR SPEED DURATION TIMEOUT ARGS [CONFIG BASELINE_CONFIG BASELINE REPEAT SHARD]:
# sets the array skci_args to
#   run --report-dir REPORT_DIR [--speed SPEED] [--duration DURATION] [--timeout TIMEOUT]
#       [--config CONFIG] [--baseline-config BASELINE_CONFIG] [--baseline BASELINE] [--repeat REPEAT]
#       [--shard SHARD] ARGS...
# An empty value is not passed (skci's own default, or the config, applies). ARGS is split on
# whitespace only (no quote removal, no expansion, no globbing). When ARGS names one of those
# options itself, ARGS wins: the dedicated value is dropped (a note goes to skci_notes), so
# `args: --speed 10` never meets a second --speed. ARGS may not move the report directory, since the
# front end uploads or keeps that directory: returns 2 with skci_error set.
skci_run_args() {
  local report_dir=$1 speed=$2 duration=$3 timeout=$4 extra_text=$5 config=${6:-} baseline_config=${7:-} baseline=${8:-}
  local repeat=${9:-} shard=${10:-} word
  local -a extra=()
  local -A named=()
  # shellcheck disable=SC2034 # skci_notes and skci_error are read by the caller
  skci_notes=() skci_error=""
  if [[ -n "$extra_text" ]]; then
    read -r -d '' -a extra <<< "$extra_text" || true
  fi
  for word in "${extra[@]}"; do
    case "$word" in
      --report-dir | --report-dir=*)
        # shellcheck disable=SC2034
        skci_error="--report-dir cannot be set in the extra flags: the front end keeps the report directory it was given (use its report-dir setting)"
        return 2 ;;
      --speed | --speed=*) named[speed]=1 ;;
      --duration | --duration=*) named[duration]=1 ;;
      --timeout | --timeout=*) named[timeout]=1 ;;
      --config | --config=*) named[config]=1 ;;
      --baseline-config | --baseline-config=*) named[baseline-config]=1 ;;
      --baseline | --baseline=*) named[baseline]=1 ;;
      --repeat | --repeat=*) named[repeat]=1 ;;
      --shard | --shard=*) named[shard]=1 ;;
    esac
  done
  skci_args=(run --report-dir "$report_dir")
  skci_add_named speed "$speed" "${named[speed]:-}"
  skci_add_named duration "$duration" "${named[duration]:-}"
  skci_add_named timeout "$timeout" "${named[timeout]:-}"
  skci_add_named config "$config" "${named[config]:-}"
  skci_add_named baseline-config "$baseline_config" "${named[baseline-config]:-}"
  skci_add_named baseline "$baseline" "${named[baseline]:-}"
  skci_add_named repeat "$repeat" "${named[repeat]:-}"
  skci_add_named shard "$shard" "${named[shard]:-}"
  skci_args+=("${extra[@]}")
}

skci_add_named() {  # skci_add_named NAME VALUE IN_EXTRA
  [[ -n "$2" ]] || return 0
  if [[ -n "$3" ]]; then
    skci_notes+=("--$1 is given in the extra flags; that value is used, not $1=$2")
  else
    skci_args+=("--$1" "$2")
  fi
}

# skci_clear_reports DIR: removes the files a previous `skci run` wrote into DIR, so a run that
# stops before writing reports (bad flags, exit 2) does not leave the previous run's summary.json
# to be uploaded as its own. Only skci's own file names are removed, never the directory: DIR is
# user input and may be the workspace itself.
skci_clear_reports() {
  local dir=$1
  [[ -d "$dir" ]] || return 0
  rm -f -- "$dir/junit.xml" "$dir/summary.json" "$dir/timeline.json" "$dir/report.html" "$dir"/*-diagnostics.tar.gz
}
