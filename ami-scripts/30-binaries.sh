#!/usr/bin/env bash
# AMI step 30: pre-build the local provider's pinned control-plane binaries into the image's cache,
# so that no run on the image ever compiles (design §4, local provider).
#
# Runs the installed copy of scripts/build-binaries.sh with SKCI_CACHE_DIR=$SKCI_CACHE_DIR: it builds
# kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, kwok, kwokctl and
# cert-manager's controller and cainjector from the Go module proxy at the versions in
# tools/versions.env (module hashes checked by go.sum and the Go checksum database), about 7 minutes
# on 2 cores. The Go module and build caches go to a scratch directory that step 90 removes unless
# asked to keep them. kubectl is linked into $SKCI_BIN_LINK_DIR for the kind path and for debugging.
#
# Inputs (environment): SKCI_GO_CACHE_DIR (optional; default /var/cache/skci-go).
# Idempotent: build-binaries.sh builds only what is missing and says "nothing to do" otherwise.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
command -v go >/dev/null || die "Go is not installed; step 10 installs it"
[[ -x "$SKCI_PREFIX/scripts/build-binaries.sh" || -f "$SKCI_PREFIX/scripts/build-binaries.sh" ]] \
  || die "$SKCI_PREFIX/scripts/build-binaries.sh not found; step 20 installs the runner"

: "${SKCI_GO_CACHE_DIR:=/var/cache/skci-go}"
export GOPATH=$SKCI_GO_CACHE_DIR/gopath GOCACHE=$SKCI_GO_CACHE_DIR/build GOTOOLCHAIN=local
mkdir -p "$GOPATH" "$GOCACHE"

bash "$SKCI_PREFIX/scripts/build-binaries.sh"
bash "$SKCI_PREFIX/scripts/build-binaries.sh" --check
bindir=$(bash "$SKCI_PREFIX/scripts/build-binaries.sh" --print-dir)
chmod -R a+rX,go-w "$bindir"
rm -f "$SKCI_CACHE_DIR/bin/.build.lock"
# Karpenter's KWOK provider (cluster.autoscaler.karpenter), so such configs need no compile either. Its
# script sets GOTOOLCHAIN to the pinned toolchain itself (Karpenter needs a newer Go than step 10's).
if [[ -f "$SKCI_PREFIX/scripts/build-karpenter.sh" ]]; then
  bash "$SKCI_PREFIX/scripts/build-karpenter.sh"
  bash "$SKCI_PREFIX/scripts/build-karpenter.sh" --check
  chmod -R a+rX,go-w "$(bash "$SKCI_PREFIX/scripts/build-karpenter.sh" --print-dir)"
  rm -f "$SKCI_CACHE_DIR/bin/.build-karpenter.lock"
fi
ln -sfn "$bindir/kubectl" "$SKCI_BIN_LINK_DIR/kubectl"

# shellcheck source=../tools/versions.env
source "$SKCI_PREFIX/tools/versions.env"
versions_manifest local.kubernetes "$KUBERNETES_VERSION"
versions_manifest local.etcd "$ETCD_VERSION"
versions_manifest local.kwok "$KWOK_VERSION"
versions_manifest local.cert-manager "$CERT_MANAGER_VERSION"
[[ -n "${KARPENTER_VERSION:-}" ]] && versions_manifest local.karpenter "$KARPENTER_VERSION"
versions_manifest local.binaries "$bindir ($(du -sh "$bindir" | cut -f1))"
log "control-plane binaries ready in $bindir"
