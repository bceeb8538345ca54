#!/usr/bin/env bash
# First step of the skci GitHub Action (action.yml): decides where skci comes from and writes the
# step outputs the later steps use. Inputs arrive only as environment variables; nothing here is ever
# evaluated as shell code.
#
#   preinstalled  true when the runner is an instance of the skci AMI ($SKCI_PREINSTALLED_DIR/bin/skci,
#                 default /opt/skci): then Java, Go, the caches and the build are skipped
#   skci          the skci command to run
#   cache-dir     SKCI_CACHE_DIR for the build and the run (the AMI's /opt/skci/cache, else
#                 $SKCI_CACHE_DIR or ~/.cache/skci)
#   binaries-key  actions/cache key of the control-plane binaries: the sha256 of tools/versions.env and
#                 tools/*/go.sum in the action's checkout (hashFiles() cannot do this: it only sees
#                 files under GITHUB_WORKSPACE, and the action is checked out elsewhere)
#   maven-key     actions/cache key of the Maven repository: the sha256 of the action's pom.xml files
#   artifact-name the report artifact's name (input artifact-name, else skci-reports-<job>-<attempt>,
#                 or skci-reports-<job>-shard-I-of-N with input shard)
# When it stops the action (exit 2 or 3), it also writes result and exit-code, so the action's
# outputs say why.
set -euo pipefail

out=${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set; this script runs as a step of action.yml}
action_path=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
# act's GITHUB_ACTION_PATH ends in "/", GitHub's does not; the cache keys must not depend on that.
action_path=$(cd "$action_path" && pwd)
preinstalled_dir=${SKCI_PREINSTALLED_DIR:-/opt/skci}

fail() {  # fail CODE MESSAGE: an annotation, then the exit code skci would use
  local msg=${2//'%'/'%25'}
  msg=${msg//$'\r'/'%0D'}
  msg=${msg//$'\n'/'%0A'}   # a workflow command ends at a newline; user text must not end it
  echo "::error title=skci::$msg"
  local result=invalid-input
  [[ "$1" == 3 ]] && result=environment-error
  { echo "result=$result"; echo "exit-code=$1"; } >> "$out"
  exit "$1"
}

[[ "${RUNNER_OS:-Linux}" == Linux ]] \
  || fail 2 "skci runs on Linux runners only (this one is ${RUNNER_OS}); use ubuntu-latest or a runner from the skci AMI"
[[ "${INPUT_UPLOAD_REPORTS:-true}" == true || "${INPUT_UPLOAD_REPORTS:-true}" == false ]] \
  || fail 2 "input upload-reports must be true or false, not '${INPUT_UPLOAD_REPORTS}'"

hash_of() {  # sha256 over the named files (paths relative to the action) and their contents
  (cd "$action_path" && sha256sum -- "$@") | sha256sum | cut -c1-32
}

if [[ -x "$preinstalled_dir/bin/skci" ]]; then
  preinstalled=true
  skci=$preinstalled_dir/bin/skci
  cache_dir=${SKCI_CACHE_DIR:-$preinstalled_dir/cache}
  clusters=$cache_dir/clusters
  if [[ -d "$clusters" && ! -w "$clusters" ]]; then
    fail 3 "user $(id -un) cannot write $clusters; add it to the skci group (sudo usermod -aG skci $(id -un)) and restart the runner service"
  fi
  echo "skci: using the skci installed on this image: $("$skci" --version | head -1) ($skci)"
else
  preinstalled=false
  skci=$action_path/bin/skci
  cache_dir=${SKCI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/skci}
  echo "skci: no preinstalled skci at $preinstalled_dir; building the action's own copy ($action_path)"
fi

mapfile -t key_files < <(cd "$action_path" && printf '%s\n' tools/versions.env tools/*/go.sum | LC_ALL=C sort)
mapfile -t poms < <(cd "$action_path" && find . -name pom.xml -not -path '*/target/*' | sed 's|^\./||' | LC_ALL=C sort)
artifact_name=${INPUT_ARTIFACT_NAME:-}
shard=${INPUT_SHARD:-}
shard=${shard//[[:space:]]/}
if [[ -n "$shard" && ! "$shard" =~ ^[0-9]{1,4}/[0-9]{1,4}$ ]]; then
  fail 2 "input shard must be I/N (this runner's 1-based index, of N), e.g. 1/2, not '${INPUT_SHARD}'"
fi
if [[ -z "$artifact_name" && -n "$shard" ]]; then
  # Matrix jobs share the job id, so the shard names the artifact. No attempt number: re-running one
  # failed shard replaces its reports (overwrite), and the merge job sees each shard once.
  artifact_name="skci-reports-${GITHUB_JOB:-job}-shard-${shard%/*}-of-${shard#*/}"
elif [[ -z "$artifact_name" ]]; then
  artifact_name="skci-reports-${GITHUB_JOB:-job}-${GITHUB_RUN_ATTEMPT:-1}"
fi
# Step outputs are "name=value" lines: a value with a newline could forge other outputs.
[[ "$artifact_name" =~ ^[A-Za-z0-9._-]+$ ]] \
  || fail 2 "input artifact-name may hold letters, digits, '.', '_' and '-' only, not '$artifact_name'"
[[ "$cache_dir" != *$'\n'* ]] || fail 2 "SKCI_CACHE_DIR must not contain a newline"

{
  echo "preinstalled=$preinstalled"
  echo "skci=$skci"
  echo "cache-dir=$cache_dir"
  echo "binaries-key=skci-bin-${RUNNER_OS:-Linux}-${RUNNER_ARCH:-X64}-$(hash_of "${key_files[@]}")"
  echo "maven-key=skci-m2-${RUNNER_OS:-Linux}-$(hash_of "${poms[@]}")"
  echo "artifact-name=$artifact_name"
} >> "$out"
