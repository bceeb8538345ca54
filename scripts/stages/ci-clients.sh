#!/usr/bin/env bash
# The client test stage: the CI front ends under real third-party CI clients, and the static checks
# of every delivery artifact. scripts/test.sh runs it after `mvn verify` when CI=true (as .ci/run
# sets it), with --with-ci-clients, or with SKCI_CI_CLIENTS=1. It needs runner/target/skci.jar and
# the control-plane binaries, which that run has just built.
#
#   1. scripts/stages/install-ci-tools.sh: the pinned clients and linters (tools/ci-clients.env),
#      cached in ~/.cache/skci/tools (about 2 minutes the first time, nothing afterwards)
#   2. .github/tests/check-delivery.sh: bash -n, ShellCheck, hclfmt, the Packer template check,
#      actionlint, zizmor, the JSON schemas, the action's static checks and the GitLab retry emulator
#   3. actions/ec2-runner/tests/test_ec2_runner.py: the EC2 runner launcher against moto and a
#      GitHub API stand-in, and the image's boot script with a stand-in agent
#   4. .github/tests/test_act.py: the Action and the example workflow under act (cluster skci-ci-gh)
#   5. gitlab/test_gitlab_ci_local.py: the GitLab template under gitlab-ci-local (cluster skci-ci-gl)
# Each part ends with "N passed, M failed"; the stage ends with the sum, and fails if any part did.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

t0=$SECONDS
tools_path=$(bash scripts/stages/install-ci-tools.sh --print-path)
export PATH=$tools_path:$PATH
echo "ci-clients: tools ready in $((SECONDS - t0))s"
# shellcheck source=../lib/jdk.sh
source scripts/lib/jdk.sh
skci_find_jdk || exit 3
export JAVA_HOME=$SKCI_JAVA_HOME

[[ -f runner/target/skci.jar ]] || { echo "ci-clients: runner/target/skci.jar is missing; run mvn package (scripts/test.sh does)" >&2; exit 3; }

total_passed=0 total_failed=0 broken=()
part() {  # part NAME COMMAND...: runs one part, adds up its "N passed, M failed" line
  local name=$1 log rc=0 t=$SECONDS line
  shift
  echo "ci-clients: == $name"
  log=$(mktemp)
  "$@" 2>&1 | tee "$log" || rc=$?
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1 || true)
  if [[ -n "$line" ]]; then
    total_passed=$((total_passed + ${line%% passed*}))
    line=${line#*, }
    total_failed=$((total_failed + ${line%% failed*}))
  fi
  if (( rc != 0 )) || [[ -z "$line" ]]; then broken+=("$name (exit $rc)"); fi
  rm -f "$log"
  echo "ci-clients: $name took $((SECONDS - t))s"
}

part "static checks (check-delivery.sh)" bash .github/tests/check-delivery.sh
part "EC2 runner launcher (moto, GitHub stand-in)" python3 actions/ec2-runner/tests/test_ec2_runner.py
part "GitHub Action under act" python3 .github/tests/test_act.py
part "GitLab template under gitlab-ci-local" python3 gitlab/test_gitlab_ci_local.py

echo "ci-clients: finished in $((SECONDS - t0))s"
if (( ${#broken[@]} )); then
  echo "ci-clients: failed: ${broken[*]}"
fi
echo "ci-clients: $total_passed passed, $total_failed failed"
(( ${#broken[@]} == 0 ))
