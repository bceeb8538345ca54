#!/usr/bin/env bash
# Builds Karpenter's KWOK cloud provider (sigs.k8s.io/karpenter/kwok, the controller that runs
# Karpenter's core against fake KWOK nodes) and writes its CRDs, from the Go module proxy, into a
# cache directory of its own beside the control-plane binaries:
#
#   ${SKCI_CACHE_DIR:-~/.cache/skci}/bin/karpenter-<version>/   karpenter-kwok, karpenter-crds.yaml
#
# Separate from scripts/build-binaries.sh because only configs with cluster.autoscaler.karpenter
# need it and it costs minutes of a cold build (docs/karpenter.md). Karpenter v1.15's go.mod needs a
# newer Go than most machines have, so it is built with the exact toolchain tools/versions.env pins
# (GOTOOLCHAIN: the go command fetches it from the module proxy and checks its hash against the
# checksum database); module hashes are checked by tools/karpenter/go.sum.
#
# Like build-binaries.sh: a second run does nothing; each file is written to a temporary name and
# renamed; concurrent runs are serialised by a lock.
#
# Usage: scripts/build-karpenter.sh [--print-dir | --check]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../tools/versions.env
source "$here/tools/versions.env"

cache_root=${SKCI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/skci}
bin="$cache_root/bin/karpenter-${KARPENTER_VERSION}"

case "${1:-}" in
  --print-dir) echo "$bin"; exit 0 ;;
  --check|"") ;;
  *) echo "skci: unknown option '$1' (usage: scripts/build-karpenter.sh [--print-dir | --check])" >&2; exit 2 ;;
esac

# Keep this list identical to KarpenterBinaries.FILES in the runner.
files=(karpenter-kwok karpenter-crds.yaml)
missing_files() {
  missing=()
  for f in "${files[@]}"; do [[ -e "$bin/$f" ]] || missing+=("$f"); done
}
missing_files
if (( ${#missing[@]} == 0 )); then
  echo "skci: Karpenter ${KARPENTER_VERSION} already built in $bin (nothing to do)"
  exit 0
fi
if [[ "${1:-}" == "--check" ]]; then
  echo "skci: missing in $bin: ${missing[*]}; run scripts/build-karpenter.sh" >&2
  exit 3
fi

mkdir -p "$bin"
if command -v flock >/dev/null; then
  exec 9>"$cache_root/bin/.build-karpenter.lock"
  if ! flock -n 9; then
    echo "skci: another build of Karpenter is running; waiting for it to finish"
    flock 9
  fi
  missing_files
  if (( ${#missing[@]} == 0 )); then
    echo "skci: Karpenter was built by the other run in $bin (nothing to do)"
    exit 0
  fi
fi

command -v go >/dev/null || { echo "skci: Go is required to build Karpenter; install Go >= 1.21 (it fetches ${KARPENTER_GO_TOOLCHAIN} itself)" >&2; exit 3; }
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=$KARPENTER_GO_TOOLCHAIN
mod="$here/tools/karpenter"
step() { printf 'skci: [%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
t_all=$(date +%s)

# The toolchain and the modules first: network time apart from compile time, and an unreachable
# proxy fails here with Go's own message.
if ! go -C "$mod" version >/dev/null; then
  echo "skci: getting Go ${KARPENTER_GO_TOOLCHAIN} from the module proxy failed; is the Go module proxy reachable?" >&2; exit 3
fi
if ! go -C "$mod" mod download; then
  echo "skci: downloading the Go modules of tools/karpenter failed; is the Go module proxy reachable?" >&2; exit 3
fi
step "toolchain ${KARPENTER_GO_TOOLCHAIN} and modules ready in $(( $(date +%s) - t_all ))s"

if [[ ! -e "$bin/karpenter-kwok" ]]; then
  t=$(date +%s)
  step "karpenter-kwok: building sigs.k8s.io/karpenter/kwok ${KARPENTER_VERSION} (several minutes on a cold Go cache)"
  # A heartbeat for CI logs; it ends its sleep when killed, so no sleep keeps a piped stdout open.
  ( trap 'kill "$s" 2>/dev/null; exit 0' TERM
    while :; do sleep 60 & s=$!; wait "$s"; step "karpenter-kwok: still compiling ($(( $(date +%s) - t ))s)"; done ) &
  hb=$!
  if ! go -C "$mod" build -trimpath -ldflags "-s -w -X sigs.k8s.io/karpenter/pkg/operator.Version=${KARPENTER_VERSION}" \
      -o "$bin/.karpenter-kwok.tmp" sigs.k8s.io/karpenter/kwok; then
    kill "$hb" 2>/dev/null; rm -f "$bin/.karpenter-kwok.tmp"
    echo "skci: building karpenter-kwok failed; see the Go output above" >&2; exit 3
  fi
  kill "$hb" 2>/dev/null || true
  mv -f "$bin/.karpenter-kwok.tmp" "$bin/karpenter-kwok"
  step "karpenter-kwok: done in $(( $(date +%s) - t ))s"
fi

if [[ ! -e "$bin/karpenter-crds.yaml" ]]; then
  # Karpenter's CRDs (NodePool, NodeClaim, NodeOverlay) ship as plain YAML in the module, and so does
  # the KWOK provider's node class (KWOKNodeClass). CapacityBuffer (autoscaling.x-k8s.io, behind a
  # feature gate that is off) is left out: it is shared with the cluster autoscaler's API group.
  src=$(go -C "$mod" list -m -f '{{.Dir}}' sigs.k8s.io/karpenter)
  for f in "$src"/kwok/charts/crds/karpenter.sh_*.yaml "$src"/kwok/apis/crds/*.yaml; do
    echo "---"
    sed '1{/^---$/d}' "$f"
  done > "$bin/.crds.tmp"
  mv -f "$bin/.crds.tmp" "$bin/karpenter-crds.yaml"
  step "karpenter-crds.yaml: written"
fi

step "Karpenter ${KARPENTER_VERSION} ready in $bin ($(( $(date +%s) - t_all ))s, $(du -sh "$bin" | cut -f1))"
