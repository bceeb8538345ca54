#!/usr/bin/env bash
# Builds the pinned control-plane binaries skci's local cluster provider runs, from the Go module
# proxy (no Docker, no GitHub downloads), into a cache directory outside the checkout:
#
#   ${SKCI_CACHE_DIR:-~/.cache/skci}/bin/<key>/   key = the versions in tools/versions.env
#
# A second run finds every binary and does nothing. Each binary is built to a temporary name and
# renamed into place, so an interrupted build never leaves a half-written binary behind.
#
# Concurrent runs (two CI jobs, two test JVMs) are serialised by a lock in the cache directory; the
# second one waits and then finds everything built.
#
# Usage: scripts/build-binaries.sh [--print-dir | --check]
#   --print-dir  print the binary directory and exit
#   --check      exit 0 if every binary is there, 3 (with the missing names) if not; builds nothing
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../tools/versions.env
source "$here/tools/versions.env"

cache_root=${SKCI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/skci}
key="k8s-${KUBERNETES_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}_cm-${CERT_MANAGER_VERSION}"
bin="$cache_root/bin/$key"

case "${1:-}" in
  --print-dir) echo "$bin"; exit 0 ;;
  --check|"") ;;
  *) echo "skci: unknown option '$1' (usage: scripts/build-binaries.sh [--print-dir | --check])" >&2; exit 2 ;;
esac

# Keep this list identical to BinarySet.FILES in the runner.
binaries=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok kwokctl
          cert-manager-controller cert-manager-cainjector cert-manager-crds.yaml)
missing_binaries() {
  missing=()
  for b in "${binaries[@]}"; do [[ -e "$bin/$b" ]] || missing+=("$b"); done
}
missing_binaries
if (( ${#missing[@]} == 0 )); then
  echo "skci: binaries already built in $bin (nothing to do)"
  exit 0
fi
if [[ "${1:-}" == "--check" ]]; then
  echo "skci: missing in $bin: ${missing[*]}; run scripts/build-binaries.sh" >&2
  exit 3
fi

mkdir -p "$bin"
if command -v flock >/dev/null; then
  exec 9>"$cache_root/bin/.build.lock"
  if ! flock -n 9; then
    echo "skci: another build of the binaries is running; waiting for it to finish"
    flock 9
  fi
  missing_binaries
  if (( ${#missing[@]} == 0 )); then
    echo "skci: binaries were built by the other run in $bin (nothing to do)"
    exit 0
  fi
fi

command -v go >/dev/null || { echo "skci: Go is required to build the control-plane binaries; install Go >= 1.24" >&2; exit 3; }
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false
t_all=$(date +%s)

step() { printf 'skci: [%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# Downloading first (a no-op when the module cache has everything) separates network time from
# compile time in the log and fails early, with Go's own message, when the proxy is unreachable.
for mod in etcd kwok cert-manager k8s; do
  t=$(date +%s)
  if ! go -C "$here/tools/$mod" mod download; then
    echo "skci: downloading the Go modules of tools/$mod failed; is the Go module proxy reachable?" >&2; exit 3
  fi
  (( $(date +%s) - t > 1 )) && step "tools/$mod: modules downloaded in $(( $(date +%s) - t ))s"
done

# build <output-name> <module-dir> <package> [ldflags]
build() {
  local out=$1 dir=$2 pkg=$3 ldflags=${4:-}
  if [[ -e "$bin/$out" ]]; then step "$out: cached"; return; fi
  local t
  t=$(date +%s)
  step "$out: building $pkg (this can take several minutes on a cold Go cache)"
  # A heartbeat so CI logs show progress during long compiles.
  ( while sleep 60; do step "$out: still compiling ($(( $(date +%s) - t ))s)"; done ) &
  local hb=$!
  if ! go -C "$here/tools/$dir" build -trimpath -ldflags "-s -w $ldflags" -o "$bin/.$out.tmp" "$pkg"; then
    kill "$hb" 2>/dev/null; rm -f "$bin/.$out.tmp"
    echo "skci: building $out failed; see the Go output above" >&2; exit 3
  fi
  kill "$hb" 2>/dev/null || true
  mv -f "$bin/.$out.tmp" "$bin/$out"
  step "$out: done in $(( $(date +%s) - t ))s"
}

minor=${KUBERNETES_VERSION#v1.}; minor=${minor%%.*}
kver="-X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/component-base/version.gitMajor=1 \
-X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean \
-X k8s.io/client-go/pkg/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/client-go/pkg/version.gitMajor=1 \
-X k8s.io/client-go/pkg/version.gitMinor=$minor"

step "building into $bin"
build etcd etcd go.etcd.io/etcd/server/v3
build kwok kwok sigs.k8s.io/kwok/cmd/kwok
build kwokctl kwok sigs.k8s.io/kwok/cmd/kwokctl
build cert-manager-controller cert-manager github.com/cert-manager/cert-manager/cmd/controller
build cert-manager-cainjector cert-manager github.com/cert-manager/cert-manager/cmd/cainjector
build kube-apiserver k8s k8s.io/kubernetes/cmd/kube-apiserver "$kver"
build kube-controller-manager k8s k8s.io/kubernetes/cmd/kube-controller-manager "$kver"
build kube-scheduler k8s k8s.io/kubernetes/cmd/kube-scheduler "$kver"
build kubectl k8s k8s.io/kubernetes/cmd/kubectl "$kver"

if [[ ! -e "$bin/cert-manager-crds.yaml" ]]; then
  # The v1.11 CRD files are Helm templates; only their metadata.labels block is templated.
  crds=$(go -C "$here/tools/cert-manager" list -m -f '{{.Dir}}' github.com/cert-manager/cert-manager)/deploy/crds
  for f in "$crds"/crd-*.yaml; do
    echo "---"
    awk '/^  labels:/{skip=1; next} skip && /^    /{next} {skip=0; print}' "$f"
  done > "$bin/.crds.tmp"
  mv -f "$bin/.crds.tmp" "$bin/cert-manager-crds.yaml"
  step "cert-manager-crds.yaml: written"
fi

step "all binaries ready in $bin ($(( $(date +%s) - t_all ))s, $(du -sh "$bin" | cut -f1))"
