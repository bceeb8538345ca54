#!/usr/bin/env bash
# The README's test command: sets up what the tests need on a fresh machine, then runs every test.
#   1. finds a JDK >= 21 (scripts/lib/jdk.sh),
#   2. builds the pinned control-plane binaries and Karpenter's KWOK provider into ~/.cache/skci (a no-op
#      when cached),
#   3. makes sure Debian's chromium is there for the report.html browser test (scripts/lib/chromium.sh),
#   4. mvn verify: unit tests (Surefire), the runner jar, then the tests on a real local cluster
#      (Failsafe, tag "cluster"). Soak tests (tag "soak") are not run; see README.
#   5. the kind stage (scripts/stages/kind.sh: Docker engine, offline kind node image, Testcontainers
#      tests, the cluster tests on --provider kind, the machine image's kind path), when asked
#      (--with-kind or SKCI_KIND=1), or outside CI when a Docker engine already answers; --without-kind
#      or SKCI_KIND=0 leaves it out. CI=true alone does not select it: cold it would take a fresh CI
#      machine past the 60-minute budget (docs/testing.md). It says which applied. The local provider
#      needs no Docker; without an engine nothing is installed.
#   6. in CI (CI=true, as .ci/run sets it), with --with-ci-clients or with SKCI_CI_CLIENTS=1: the
#      client test stage, scripts/stages/ci-clients.sh (the Action under act, the GitLab template
#      under gitlab-ci-local, the EC2 runner launcher, the delivery artifacts' static checks).
# A failing mvn verify stops here (the stages need its jar). Stages 5 and 6 are independent: both run
# even when the first fails, a summary names each stage's result, and the exit code is the first
# failing stage's.
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

kind=${SKCI_KIND:-}
ci_clients=false
[[ "${CI:-}" == true || "${SKCI_CI_CLIENTS:-}" == 1 ]] && ci_clients=true
maven_args=()
for arg in "$@"; do
  case "$arg" in
    --with-kind) kind=1 ;;
    --without-kind) kind=0 ;;
    --with-ci-clients) ci_clients=true ;;
    *) maven_args+=("$arg") ;;
  esac
done
if [[ "$kind" == 1 ]]; then kind_reason="asked for (--with-kind or SKCI_KIND=1)"
elif [[ "$kind" == 0 ]]; then kind_reason=""
elif [[ "${CI:-}" == true ]]; then
  kind_reason=""  # in CI only when asked: a cold kind stage would break the run's time budget
elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  # Building the node image needs root (its rootfs keeps owners and device nodes); an image built
  # earlier (by root) is enough to run the stage as an ordinary member of the docker group.
  if [[ $(id -u) -eq 0 ]] || bash "$root/scripts/kind/build-node-image.sh" --check >/dev/null 2>&1; then
    kind_reason="a Docker engine answers"
  else
    kind_reason=""
    echo "skci: a Docker engine answers, but the kind node image is not built and building it needs root;"
    echo "skci:   the kind stage is skipped (run scripts/kind/build-node-image.sh as root, or scripts/test.sh --with-kind as root)"
  fi
else kind_reason=""
fi
if [[ -n "$kind_reason" ]]; then
  echo "skci: the kind stage will run after mvn verify: $kind_reason"
elif [[ "$kind" == 0 ]]; then
  echo "skci: the kind stage is skipped (--without-kind or SKCI_KIND=0)"
elif [[ "${CI:-}" == true ]]; then
  echo "skci: the kind stage is skipped (CI=true runs it only when asked: --with-kind or SKCI_KIND=1; see docs/testing.md)"
elif ! docker info >/dev/null 2>&1; then
  echo "skci: the kind stage is skipped (no Docker engine answers, not asked for; --with-kind runs it)"
fi

echo "skci: JDK $JAVA_HOME"
bash "$root/scripts/build-binaries.sh"
bash "$root/scripts/build-karpenter.sh"   # the Karpenter cluster tests need it (docs/karpenter.md)
skci_ensure_chromium || exit 3
cd "$root"
mvn -B ${CI:+--no-transfer-progress} verify "${maven_args[@]}"

results=() first_rc=0
stage() {  # stage NAME COMMAND...: runs one stage, remembers its result, never stops the script
  local name=$1 rc=0 t=$SECONDS
  shift
  "$@" || rc=$?
  results+=("$(printf '%-12s %s in %ds' "$name" "$( ((rc == 0)) && echo passed || echo "FAILED (exit $rc)")" $((SECONDS - t)))")
  if (( rc != 0 && first_rc == 0 )); then first_rc=$rc; fi
}
[[ -n "$kind_reason" ]] && stage "kind" bash "$root/scripts/stages/kind.sh"
[[ "$ci_clients" == true ]] && stage "ci-clients" bash "$root/scripts/stages/ci-clients.sh"
if (( ${#results[@]} )); then
  echo "skci: mvn verify passed; stages:"
  printf 'skci:   %s\n' "${results[@]}"
fi
exit "$first_rc"
