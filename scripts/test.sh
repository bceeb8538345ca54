#!/usr/bin/env bash
# The README's test command: sets up what the tests need on a fresh machine, then runs every test.
#   1. finds a JDK >= 21 (scripts/lib/jdk.sh),
#   2. builds the pinned control-plane binaries and Karpenter's KWOK provider into ~/.cache/skci (a no-op
#      when cached),
#   3. makes sure Debian's chromium is there for the report.html browser test (scripts/lib/chromium.sh),
#   4. mvn verify: unit tests (Surefire), the runner jar, then the tests on a real local cluster
#      (Failsafe, tag "cluster"). Soak tests (tag "soak") are not run; see README.
#   5. in CI (CI=true, as .ci/run sets it), with --with-ci-clients or with SKCI_CI_CLIENTS=1: the
#      client test stage, scripts/stages/ci-clients.sh (the Action under act, the GitLab template
#      under gitlab-ci-local, the EC2 runner launcher, the delivery artifacts' static checks).
# Extra arguments go to Maven, e.g. scripts/test.sh -Dit.test=ReplayClusterTest
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/jdk.sh
source "$root/scripts/lib/jdk.sh"
# shellcheck source=lib/chromium.sh
source "$root/scripts/lib/chromium.sh"
skci_find_jdk || exit 3
export JAVA_HOME=$SKCI_JAVA_HOME
command -v mvn >/dev/null || { echo "skci: Maven (mvn) is required; install it (e.g. apt-get install maven)" >&2; exit 3; }

ci_clients=false
[[ "${CI:-}" == true || "${SKCI_CI_CLIENTS:-}" == 1 ]] && ci_clients=true
maven_args=()
for arg in "$@"; do
  if [[ "$arg" == --with-ci-clients ]]; then ci_clients=true; else maven_args+=("$arg"); fi
done

echo "skci: JDK $JAVA_HOME"
bash "$root/scripts/build-binaries.sh"
bash "$root/scripts/build-karpenter.sh"   # the Karpenter cluster tests need it (docs/karpenter.md)
skci_ensure_chromium || exit 3
cd "$root"
mvn -B ${CI:+--no-transfer-progress} verify "${maven_args[@]}"
if [[ "$ci_clients" == true ]]; then
  bash "$root/scripts/stages/ci-clients.sh"
fi
