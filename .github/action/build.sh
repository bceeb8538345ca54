#!/usr/bin/env bash
# The skci GitHub Action's build step on a runner without a preinstalled skci (action.yml): builds
# the pinned control-plane binaries (a no-op when restored from the cache) and the runner jar.
#
# A failed build is the environment's failure, not the change's: it exits 3, and writes
# result=environment-error and exit-code=3 as step outputs, so the action's exit-code output is
# set and a workflow's retry on exit code 3 retries it. Maven's own output (download progress, JVM
# warnings, ANSI colour codes) goes to a log file, shown only when the build fails.
set -euo pipefail

out=${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set; this script runs as a step of action.yml}
action_path=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
action_path=${action_path%/}
# shellcheck source=../../scripts/lib/quiet-maven.sh
source "$action_path/scripts/lib/quiet-maven.sh"

fail() {  # fail MESSAGE: annotation + outputs, exit 3
  echo "::error title=skci: environment failure (exit 3)::$1; this is not the change's failure, retrying may help"
  { echo "result=environment-error"; echo "exit-code=3"; } >> "$out"
  exit 3
}

# Merging shards' reports needs only the runner jar, not the control plane.
if [[ -z "${INPUT_MERGE:-}" ]]; then
  bash "$action_path/scripts/build-binaries.sh" || fail "building the control-plane binaries failed (see the log above)"
fi
command -v mvn >/dev/null || fail "Maven (mvn) is needed to build the runner; install it on this runner"
echo "skci: building the runner jar"
skci_quiet_maven -f "$action_path/pom.xml" -pl runner -am -DskipTests package \
  || fail "building the runner jar with Maven failed (its log is above)"
