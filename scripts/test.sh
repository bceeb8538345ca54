#!/usr/bin/env bash
# The README's test command: sets up what the tests need on a fresh machine, then runs every test.
#   1. finds a JDK >= 21 (scripts/lib/jdk.sh),
#   2. builds the pinned control-plane binaries into ~/.cache/skci (a no-op when cached),
#   3. mvn verify: unit tests (Surefire), the runner jar, then the tests on a real local cluster
#      (Failsafe, tag "cluster"). Soak tests (tag "soak") are not run; see README.
#   4. the kind stage (scripts/stages/kind.sh: Docker engine, offline kind node image, Testcontainers
#      tests, the machine image's kind path), when CI=true, when asked (--with-kind or SKCI_KIND=1),
#      or when a Docker engine already answers; --without-kind or SKCI_KIND=0 leaves it out. It says
#      which applied. The local provider needs no Docker; without an engine nothing is installed.
# Other arguments go to Maven, e.g. scripts/test.sh -Dit.test=ReplayClusterTest
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/jdk.sh
source "$root/scripts/lib/jdk.sh"
skci_find_jdk || exit 3
export JAVA_HOME=$SKCI_JAVA_HOME
command -v mvn >/dev/null || { echo "skci: Maven (mvn) is required; install it (e.g. apt-get install maven)" >&2; exit 3; }

kind=${SKCI_KIND:-}
maven_args=()
for a in "$@"; do
  case "$a" in
    --with-kind) kind=1 ;;
    --without-kind) kind=0 ;;
    *) maven_args+=("$a") ;;
  esac
done
if [[ "$kind" == 1 ]]; then kind_reason="asked for (--with-kind or SKCI_KIND=1)"
elif [[ "$kind" == 0 ]]; then kind_reason=""
elif [[ "${CI:-}" == true ]]; then kind_reason="CI=true"
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
elif ! docker info >/dev/null 2>&1; then
  echo "skci: the kind stage is skipped (no Docker engine answers, CI is not true, not asked for; --with-kind runs it)"
fi

echo "skci: JDK $JAVA_HOME"
bash "$root/scripts/build-binaries.sh"
cd "$root"
mvn -B ${CI:+--no-transfer-progress} verify "${maven_args[@]}"
[[ -n "$kind_reason" ]] || exit 0
exec bash "$root/scripts/stages/kind.sh"
