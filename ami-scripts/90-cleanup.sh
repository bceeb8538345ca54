#!/usr/bin/env bash
# AMI step 90: leave the image small and clean, after verify.sh passed.
#
# Removes the Go module and build caches of steps 30/40, the kind path's build parts (about 7.5 GB; only the built binaries are
# needed at run time; set KEEP_GO_CACHES=true to keep them so a version bump rebuilds in minutes
# instead of ~7), the uploaded source tree, any lock or cluster state verify.sh's run left in
# $SKCI_CACHE_DIR/clusters (lock files are created by the build user and must not block CI users),
# apt's package lists and cache, and cloud-init's per-instance state so the next boot runs it fresh.
#
# Inputs (environment): KEEP_GO_CACHES (true|false), SKCI_GO_CACHE_DIR, SKCI_SRC.
# Idempotent: removing what is already gone is not an error.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
require_root
: "${SKCI_GO_CACHE_DIR:=/var/cache/skci-go}"

if [[ "${KEEP_GO_CACHES:-false}" == true ]]; then
  log "keeping the Go caches in $SKCI_GO_CACHE_DIR ($(du -sh "$SKCI_GO_CACHE_DIR" 2>/dev/null | cut -f1))"
elif [[ -d "$SKCI_GO_CACHE_DIR" ]]; then
  log "removing the Go caches in $SKCI_GO_CACHE_DIR ($(du -sh "$SKCI_GO_CACHE_DIR" | cut -f1))"
  chmod -R u+w "$SKCI_GO_CACHE_DIR"   # the module cache is read-only by design
  rm -rf "$SKCI_GO_CACHE_DIR"
fi

# The kind path's build parts (rootfs tarballs, binaries, rendered copies): the node image and its
# component images live in Docker, and kind is installed in $SKCI_BIN_LINK_DIR.
if [[ -d "$SKCI_CACHE_DIR/kind" ]]; then
  log "removing the kind build parts in $SKCI_CACHE_DIR/kind ($(du -sh "$SKCI_CACHE_DIR/kind" | cut -f1))"
  rm -rf "$SKCI_CACHE_DIR/kind"
fi

clusters=$SKCI_CACHE_DIR/clusters
if [[ -d "$clusters" ]]; then
  leftovers=$(find "$clusters" -mindepth 1 -maxdepth 1 ! -name .locks -printf '%f ')
  [[ -z "$leftovers" ]] || die "cluster state left in $clusters: $leftovers(verify.sh should have removed it)"
  find "$clusters/.locks" -mindepth 1 -delete 2>/dev/null || true
  install -d -m 2775 -g "$SKCI_GROUP" "$clusters" "$clusters/.locks"
fi

if [[ "$SKCI_SRC" == /tmp/* && -d "$SKCI_SRC" ]]; then
  rm -rf "$SKCI_SRC" "$SKCI_SRC.tar.gz" "$SKCI_SRC.commit"
fi
apt-get clean
rm -rf /var/lib/apt/lists/*
if command -v cloud-init >/dev/null; then
  cloud-init clean --logs || true
fi
log "image cleaned; contents:"
sed 's/^/  /' "$SKCI_SHARE_DIR/versions.txt"
