#!/usr/bin/env bash
# Builds the binaries of the kind path from the Go module proxy (no GitHub downloads, no registry)
# into $kind_cache/bin/<bin-key>/ (scripts/kind/lib.sh): what the offline node image and its component
# images need beyond the local provider's control plane (scripts/build-binaries.sh, reused as is).
#
#   kubelet, kubeadm, kube-proxy   tools/k8s (the pinned Kubernetes module, stamped with its version)
#   etcd                           tools/etcd-kind (the version kubeadm of that Kubernetes expects)
#   coredns                        tools/coredns
#   crictl                         tools/crictl
#   kind                           tools/kind
#   helm                           tools/helm (renders cert-manager's chart)
#   cert-manager-webhook           tools/cert-manager (the chart's webhook Deployment)
#   pause                          tools/pause (skci's own sandbox program; the upstream one is C)
#
# Like scripts/build-binaries.sh: a second run finds everything and does nothing; each binary is
# built to a temporary name and renamed; concurrent runs are serialised with flock.
# Usage: scripts/kind/build-binaries.sh [--print-dir | --check]
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bin=$(kind_bin_dir)
case "${1:-}" in
  --print-dir) echo "$bin"; exit 0 ;;
  --check|"") ;;
  *) kfail "unknown option '$1' (usage: scripts/kind/build-binaries.sh [--print-dir | --check])" 2 ;;
esac

binaries=(kubelet kubeadm kube-proxy etcd coredns crictl kind helm cert-manager-webhook pause)
missing_binaries() {
  missing=()
  for b in "${binaries[@]}"; do [[ -e "$bin/$b" ]] || missing+=("$b"); done
}
missing_binaries
if (( ${#missing[@]} == 0 )); then
  kstep "kind binaries already built in $bin (nothing to do)"
  exit 0
fi
[[ "${1:-}" == "--check" ]] && kfail "missing in $bin: ${missing[*]}; run scripts/kind/build-binaries.sh"

mkdir -p "$bin"
exec 9>"$kind_cache/bin/.build.lock"
if ! flock -n 9; then
  kstep "another build of the kind binaries is running; waiting for it to finish"
  flock 9
fi
missing_binaries
(( ${#missing[@]} == 0 )) && { kstep "kind binaries were built by the other run in $bin (nothing to do)"; exit 0; }

command -v go >/dev/null || kfail "Go is required to build the kind binaries; install Go >= 1.24"
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false

# Each wrapper module must pin the version tools/versions.env names (the module decides what is built).
check_pin() {  # check_pin <tools dir> <module> <version>
  local got
  got=$(go -C "$skci_root/tools/$1" list -m -f '{{.Version}}' "$2") \
    || kfail "could not resolve $2 in tools/$1; is the Go module proxy reachable?"
  [[ "$got" == "$3" ]] || kfail "tools/$1 builds $2 $got, but tools/versions.env pins $3; make them agree" 2
}
check_pin kind sigs.k8s.io/kind "$KIND_VERSION"
check_pin etcd-kind go.etcd.io/etcd/server/v3 "$KIND_ETCD_VERSION"
check_pin coredns github.com/coredns/coredns "$KIND_COREDNS_VERSION"
check_pin crictl sigs.k8s.io/cri-tools "$KIND_CRICTL_VERSION"
check_pin helm helm.sh/helm/v3 "$HELM_VERSION"
check_pin k8s k8s.io/kubernetes "$KUBERNETES_VERSION"
check_pin cert-manager github.com/cert-manager/cert-manager "$CERT_MANAGER_VERSION"

t_all=$(date +%s)
for mod in k8s kind crictl coredns helm etcd-kind cert-manager; do
  t=$(date +%s)
  go -C "$skci_root/tools/$mod" mod download \
    || kfail "downloading the Go modules of tools/$mod failed; is the Go module proxy reachable?"
  (( $(date +%s) - t > 1 )) && kstep "tools/$mod: modules downloaded in $(( $(date +%s) - t ))s"
done

# build <output-name> <module-dir> <package> [ldflags]
build() {
  local out=$1 dir=$2 pkg=$3 ldflags=${4:-}
  if [[ -e "$bin/$out" ]]; then kstep "$out: cached"; return; fi
  local t hb
  t=$(date +%s)
  kstep "$out: building $pkg"
  ( while sleep 60; do kstep "$out: still compiling ($(( $(date +%s) - t ))s)"; done ) &
  hb=$!
  if ! go -C "$skci_root/tools/$dir" build -trimpath -ldflags "-s -w $ldflags" -o "$bin/.$out.tmp" "$pkg"; then
    kill "$hb" 2>/dev/null; rm -f "$bin/.$out.tmp"
    kfail "building $out failed; see the Go output above"
  fi
  kill "$hb" 2>/dev/null || true
  mv -f "$bin/.$out.tmp" "$bin/$out"
  kstep "$out: done in $(( $(date +%s) - t ))s"
}

minor=${KUBERNETES_VERSION#v1.}; minor=${minor%%.*}
kver="-X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/component-base/version.gitMajor=1 \
-X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean \
-X k8s.io/client-go/pkg/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/client-go/pkg/version.gitMajor=1 \
-X k8s.io/client-go/pkg/version.gitMinor=$minor"

kstep "building into $bin"
build pause pause skci.local/tools/pause
build kind kind sigs.k8s.io/kind
build kubeadm k8s k8s.io/kubernetes/cmd/kubeadm "$kver"
build kubelet k8s k8s.io/kubernetes/cmd/kubelet "$kver"
build kube-proxy k8s k8s.io/kubernetes/cmd/kube-proxy "$kver"
build cert-manager-webhook cert-manager github.com/cert-manager/cert-manager/cmd/webhook \
  "-X github.com/cert-manager/cert-manager/pkg/util.AppVersion=$CERT_MANAGER_VERSION"
build etcd etcd-kind go.etcd.io/etcd/server/v3
build crictl crictl sigs.k8s.io/cri-tools/cmd/crictl "-X sigs.k8s.io/cri-tools/pkg/version.Version=$KIND_CRICTL_VERSION"
build coredns coredns github.com/coredns/coredns
build helm helm helm.sh/helm/v3/cmd/helm "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
kstep "all kind binaries ready in $bin ($(( $(date +%s) - t_all ))s, $(du -sh "$bin" | cut -f1))"
