#!/usr/bin/env bash
# AMI step 10: the pinned Go toolchain, used at image build time to compile the control-plane
# binaries (scripts/build-binaries.sh), kind and helm, and kept on the image so a version bump can be
# rebuilt there.
#
# The toolchain comes from the Go module proxy as the module golang.org/toolchain (the same archive
# `GOTOOLCHAIN=goX.Y.Z` downloads), checked against a pinned sha256 before it is unpacked. It goes to
# /usr/local/go-<version>; /usr/local/go points at it and go/gofmt are linked into $SKCI_BIN_LINK_DIR.
#
# Inputs (environment): GO_VERSION (e.g. 1.26.8), GO_TOOLCHAIN_SHA256, GOPROXY (optional).
# Idempotent: an installed toolchain of the same version is kept; the download is skipped when the
# verified archive is already there.
# shellcheck disable=SC2154 # upper-case inputs come from the environment; require_vars checks them
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
require_vars GO_VERSION GO_TOOLCHAIN_SHA256
: "${GO_ROOT_PARENT:=/usr/local}"

target="$GO_ROOT_PARENT/go-$GO_VERSION"
if [[ -x "$target/bin/go" ]] && [[ "$("$target/bin/go" env GOVERSION)" == "go$GO_VERSION" ]]; then
  log "Go $GO_VERSION already installed in $target"
else
  proxy=${GOPROXY:-https://proxy.golang.org}
  proxy=${proxy%%,*}   # the first proxy of a list; "direct" cannot serve this module
  [[ "$proxy" == direct || "$proxy" == off ]] && proxy=https://proxy.golang.org
  module="golang.org/toolchain/@v/v0.0.1-go$GO_VERSION.linux-amd64.zip"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  log "downloading Go $GO_VERSION ($proxy/$module)"
  fetch_verified "$proxy/$module" "$GO_TOOLCHAIN_SHA256" "$work/go.zip"
  unzip -q "$work/go.zip" -d "$work/unpacked"
  src="$work/unpacked/golang.org/toolchain@v0.0.1-go$GO_VERSION.linux-amd64"
  [[ -x "$src/bin/go" || -f "$src/bin/go" ]] || die "the toolchain archive has no bin/go"
  # Module zips need not keep file modes; the go command sets these bits when it unpacks a toolchain.
  chmod 0755 "$src"/bin/* "$src"/pkg/tool/linux_amd64/*
  rm -rf "$target.new"
  mv "$src" "$target.new"
  rm -rf "$target"
  mv "$target.new" "$target"
  log "Go $GO_VERSION installed in $target"
fi

ln -sfn "go-$GO_VERSION" "$GO_ROOT_PARENT/go"
mkdir -p "$SKCI_BIN_LINK_DIR"
ln -sfn "$GO_ROOT_PARENT/go/bin/go" "$SKCI_BIN_LINK_DIR/go"
ln -sfn "$GO_ROOT_PARENT/go/bin/gofmt" "$SKCI_BIN_LINK_DIR/gofmt"
"$SKCI_BIN_LINK_DIR/go" version
versions_manifest go "go$GO_VERSION (sha256 $GO_TOOLCHAIN_SHA256 of the golang.org/toolchain module zip)"
