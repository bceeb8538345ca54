#!/usr/bin/env bash
# The README's test command: sets up what the tests need on a fresh machine, then runs every test.
#   1. finds a JDK >= 21 (scripts/lib/jdk.sh),
#   2. builds the pinned control-plane binaries into ~/.cache/skci (a no-op when cached),
#   3. mvn verify: unit tests (Surefire), the runner jar, then the tests on a real local cluster
#      (Failsafe, tag "cluster"). Soak tests (tag "soak") are not run; see README.
# Extra arguments go to Maven, e.g. scripts/test.sh -Dit.test=ReplayClusterTest
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/jdk.sh
source "$root/scripts/lib/jdk.sh"
skci_find_jdk || exit 3
export JAVA_HOME=$SKCI_JAVA_HOME
command -v mvn >/dev/null || { echo "skci: Maven (mvn) is required; install it (e.g. apt-get install maven)" >&2; exit 3; }

echo "skci: JDK $JAVA_HOME"
bash "$root/scripts/build-binaries.sh"
cd "$root"
exec mvn -B ${CI:+--no-transfer-progress} verify "$@"
