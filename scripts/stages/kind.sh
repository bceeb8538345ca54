#!/usr/bin/env bash
# The kind stage of the README's test command (scripts/test.sh runs it after `mvn verify` when asked
# with --with-kind or SKCI_KIND=1, or outside CI when a Docker engine already answers;
# `.ci/run` leaves it out unless given --with-kind or SKCI_KIND=1: see docs/testing.md for its cost):
#
#   1. a Docker engine (scripts/docker-engine.sh up: the one that answers, else docker.io installed
#      and dockerd started, with the capability wrapper only where privileged containers need it);
#   2. the offline kind node image and the component images (scripts/kind/build-node-image.sh; cached,
#      a no-op when built) and the image's share directory (scripts/kind/share-dir.sh);
#   3. the Java tests tagged "kind" (Failsafe): the Testcontainers tests on those images, --provider kind
#      itself (KindProviderClusterTest), and the replay, readiness and postmortem cluster tests marked
#      @OnKind on a kind cluster (-Dskci.test.provider=kind);
#   4. the machine image's kind path for real (ami-scripts/tests/test-kind-cluster.sh): kind-cluster.sh
#      up/env/down, skci runs on that cluster (--provider kind adopting it, --provider existing), the
#      skci-kind.service flow.
# The engine is stopped again at the end if this stage started it (and no other holder uses it).
#
# Usage: scripts/stages/kind.sh [MAVEN ARGS...]   (extra arguments go to the Maven run of step 3)
# Needs JAVA_HOME set to a JDK >= 21 (scripts/test.sh does it) and root where no engine answers.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
stage_start=$SECONDS
say() { printf 'skci: [kind stage %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
timings=()
timed() {  # timed NAME COMMAND... : run, record the time, stop the stage on failure
  local what=$1 t=$SECONDS rc=0
  shift
  say "$what"
  "$@" || rc=$?
  timings+=("$(printf '%-28s %4ds' "$what" $((SECONDS - t)))")
  if (( rc != 0 )); then say "$what failed (exit $rc)"; exit "$rc"; fi
}

finish() {
  local rc=$?
  bash "$root/scripts/docker-engine.sh" down --holder $$ || rc=3
  say "times:"
  printf '  %s\n' "${timings[@]}"
  say "$( ((rc == 0)) && echo passed || echo "failed (exit $rc)") in $((SECONDS - stage_start))s"
  exit "$rc"
}
trap finish EXIT

timed "Docker engine" bash "$root/scripts/docker-engine.sh" up --holder $$
timed "kind binaries" bash "$root/scripts/kind/build-binaries.sh"
timed "node and component images" bash "$root/scripts/kind/build-node-image.sh"
timed "manifests (share dir)" bash "$root/scripts/kind/share-dir.sh"
node_image=$(bash "$root/scripts/kind/build-node-image.sh" --print-image)

share=$(bash "$root/scripts/kind/share-dir.sh")

# Tag kind: the Testcontainers tests, KindProviderClusterTest (--provider kind itself) and the cluster
# tests marked @OnKind (replay, readiness, postmortem), those on a kind cluster skci-kind-it-<pid>
# (-Dskci.test.provider=kind). No registry is reachable, so Testcontainers' resource reaper (a Docker
# Hub image) stays off; the tests close every container they start.
timed "Java tests on kind (tag kind)" env TESTCONTAINERS_RYUK_DISABLED=true \
  mvn -B ${CI:+--no-transfer-progress} -f "$root/pom.xml" -pl runner -am verify \
    -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dskci.it.groups=kind -Dskci.it.excludedGroups=soak,fault,load -Dskci.test.provider=kind \
    -Dskci.kind.nodeImage="$node_image" -Dskci.kind.shareDir="$share/kind" "$@"
timed "the image's kind path" bash "$root/ami-scripts/tests/test-kind-cluster.sh"
