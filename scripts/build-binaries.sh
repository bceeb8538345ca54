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
# Another Kubernetes release of KUBERNETES_EXTRA_VERSIONS (what cluster.kubernetesVersion may ask for) is built
# with --kubernetes <release> from its own wrapper module, tools/k8s-<major.minor>/, into a set of its own; the
# binaries that do not depend on Kubernetes (etcd, kwok, cert-manager) are hard-linked from a set that has them.
#
# Usage: scripts/build-binaries.sh [--kubernetes <release>] [--print-dir | --check]
#   --kubernetes R  the set for Kubernetes release R (default: KUBERNETES_VERSION)
#   --print-dir     print the binary directory and exit
#   --check         exit 0 if every binary is there, 3 (with the missing names) if not; builds nothing
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../tools/versions.env
source "$here/tools/versions.env"

usage="usage: scripts/build-binaries.sh [--kubernetes <release>] [--print-dir | --check]"
mode=build
k8s_version=$KUBERNETES_VERSION
while (( $# > 0 )); do
  case "$1" in
    --print-dir) mode=print ;;
    --check) mode=check ;;
    --kubernetes)
      (( $# > 1 )) || { echo "skci: --kubernetes needs a release ($usage)" >&2; exit 2; }
      k8s_version=$2; shift ;;
    *) echo "skci: unknown option '$1' ($usage)" >&2; exit 2 ;;
  esac
  shift
done

k8s_module=k8s
if [[ "$k8s_version" != "$KUBERNETES_VERSION" ]]; then
  supported=" ${KUBERNETES_EXTRA_VERSIONS:-} "
  if [[ "$supported" != *" $k8s_version "* ]]; then
    echo "skci: Kubernetes $k8s_version is not pinned; tools/versions.env has $KUBERNETES_VERSION (default) ${KUBERNETES_EXTRA_VERSIONS:-}" >&2
    exit 2
  fi
  minor=${k8s_version#v1.}; minor=${minor%%.*}
  k8s_module=k8s-1.$minor
  [[ -f "$here/tools/$k8s_module/go.mod" ]] || { echo "skci: tools/$k8s_module/go.mod is missing for Kubernetes $k8s_version" >&2; exit 3; }
fi

cache_root=${SKCI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/skci}
others="etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}_cm-${CERT_MANAGER_VERSION}"
key="k8s-${k8s_version}_$others"
bin="$cache_root/bin/$key"

case "$mode" in
  print) echo "$bin"; exit 0 ;;
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
if [[ "$mode" == check ]]; then
  again=scripts/build-binaries.sh
  [[ "$k8s_version" == "$KUBERNETES_VERSION" ]] || again+=" --kubernetes $k8s_version"
  echo "skci: missing in $bin: ${missing[*]}; run $again" >&2
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

# A binary that does not depend on Kubernetes may already be in a set of another Kubernetes release with the
# same other versions: hard-link it (a copy across file systems) instead of building it again.
reuse() {
  local out=$1 other
  for other in "$cache_root"/bin/k8s-*_"$others"; do
    if [[ "$other" != "$bin" && -f "$other/$out" ]]; then
      ln -f "$other/$out" "$bin/.$out.tmp" 2>/dev/null || cp -f "$other/$out" "$bin/.$out.tmp"
      mv -f "$bin/.$out.tmp" "$bin/$out"
      step "$out: reused from $other"
      return 0
    fi
  done
  return 1
}

step() { printf 'skci: [%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

for out in etcd kwok kwokctl cert-manager-controller cert-manager-cainjector cert-manager-crds.yaml; do
  [[ -e "$bin/$out" ]] || reuse "$out" || true
done

modules=()
[[ -e "$bin/etcd" ]] || modules+=(etcd)
[[ -e "$bin/kwok" && -e "$bin/kwokctl" ]] || modules+=(kwok)
[[ -e "$bin/cert-manager-controller" && -e "$bin/cert-manager-cainjector" && -e "$bin/cert-manager-crds.yaml" ]] || modules+=(cert-manager)
modules+=("$k8s_module")
# Downloading first (a no-op when the module cache has everything) separates network time from
# compile time in the log and fails early, with Go's own message, when the proxy is unreachable.
for mod in "${modules[@]}"; do
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

minor=${k8s_version#v1.}; minor=${minor%%.*}
kver="-X k8s.io/component-base/version.gitVersion=$k8s_version -X k8s.io/component-base/version.gitMajor=1 \
-X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean \
-X k8s.io/client-go/pkg/version.gitVersion=$k8s_version -X k8s.io/client-go/pkg/version.gitMajor=1 \
-X k8s.io/client-go/pkg/version.gitMinor=$minor"

step "building into $bin"
build etcd etcd go.etcd.io/etcd/server/v3
build kwok kwok sigs.k8s.io/kwok/cmd/kwok
build kwokctl kwok sigs.k8s.io/kwok/cmd/kwokctl
build cert-manager-controller cert-manager github.com/cert-manager/cert-manager/cmd/controller
build cert-manager-cainjector cert-manager github.com/cert-manager/cert-manager/cmd/cainjector
build kube-apiserver "$k8s_module" k8s.io/kubernetes/cmd/kube-apiserver "$kver"
build kube-controller-manager "$k8s_module" k8s.io/kubernetes/cmd/kube-controller-manager "$kver"
build kube-scheduler "$k8s_module" k8s.io/kubernetes/cmd/kube-scheduler "$kver"
build kubectl "$k8s_module" k8s.io/kubernetes/cmd/kubectl "$kver"

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
