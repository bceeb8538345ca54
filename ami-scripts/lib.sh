# Shared helpers for the AMI build scripts in this directory. Sourced, never run.
#
# Every path the scripts write to can be moved with an environment variable, so the scripts can be
# exercised on a developer machine into a scratch directory (see docs/ci.md, "Testing the image
# scripts"); on the image build they keep their defaults.
# shellcheck shell=bash

: "${SKCI_PREFIX:=/opt/skci}"                       # the installed runner (a copy of the repository)
: "${SKCI_CACHE_DIR:=$SKCI_PREFIX/cache}"           # pinned binaries (bin/) and cluster state (clusters/)
: "${SKCI_SHARE_DIR:=$SKCI_PREFIX/share}"           # kind manifests, image list, versions manifest
: "${SKCI_BIN_LINK_DIR:=/usr/local/bin}"            # where skci, kind, go and kubectl are linked
: "${SKCI_ETC_DIR:=/etc}"                           # profile.d, environment, systemd units
: "${SKCI_GROUP:=skci}"                             # users allowed to create local clusters
: "${SKCI_SRC:=/tmp/skci-src}"                      # the repository as uploaded by Packer
export SKCI_PREFIX SKCI_CACHE_DIR SKCI_SHARE_DIR SKCI_BIN_LINK_DIR SKCI_ETC_DIR SKCI_GROUP SKCI_SRC

log() { printf 'skci-ami: [%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'skci-ami: error: %s\n' "$*" >&2; exit 1; }

# require_vars NAME... : fail naming every variable that is empty (Packer passes them all).
require_vars() {
  local missing=() v
  for v in "$@"; do [[ -n "${!v:-}" ]] || missing+=("$v"); done
  (( ${#missing[@]} == 0 )) || die "missing required variable(s): ${missing[*]} (set them in packer/variables.pkr.hcl)"
}

require_root() {
  [[ $(id -u) -eq 0 ]] || die "$(basename "$0") must run as root (Packer runs it through sudo)"
}

# fetch_verified URL SHA256 DEST : download to DEST unless DEST already has that checksum; the file
# is written to a temporary name and renamed only after the checksum matched.
fetch_verified() {
  local url=$1 sum=$2 dest=$3
  if [[ -f "$dest" ]] && echo "$sum  $dest" | sha256sum --check --status; then
    log "$(basename "$dest"): already downloaded and verified"
    return
  fi
  curl --fail --silent --show-error --location --retry 5 --retry-delay 3 -o "$dest.part" "$url"
  if ! echo "$sum  $dest.part" | sha256sum --check --status; then
    local got
    got=$(sha256sum "$dest.part" | cut -d' ' -f1)
    rm -f "$dest.part"
    die "checksum mismatch for $url: expected $sum, got $got"
  fi
  mv -f "$dest.part" "$dest"
}

# go_module_sum MODULE@VERSION : the h1: hash of a module, as verified by the Go checksum database.
go_module_sum() {
  local scratch
  scratch=$(mktemp -d)
  (cd "$scratch" && go mod download -json "$1") | sed -n 's/^[[:space:]]*"Sum": "\([^"]*\)".*/\1/p'
  rm -rf "$scratch"
}

# go_module_dir MODULE@VERSION : where the module's (read-only) source is in the module cache.
go_module_dir() {
  local scratch
  scratch=$(mktemp -d)
  (cd "$scratch" && go mod download -json "$1") | sed -n 's/^[[:space:]]*"Dir": "\([^"]*\)".*/\1/p'
  rm -rf "$scratch"
}

# check_module_sum MODULE@VERSION EXPECTED : fail unless the module's h1: hash is the pinned one.
check_module_sum() {
  local got
  got=$(go_module_sum "$1")
  [[ -n "$got" ]] || die "could not download $1 from the Go module proxy"
  [[ "$got" == "$2" ]] || die "module $1 has hash $got, but $2 is pinned; update the pin only after checking why"
}

# versions_manifest KEY VALUE : record what the image contains in $SKCI_SHARE_DIR/versions.txt
# (replaces an earlier line for KEY, so re-running a script does not duplicate lines).
versions_manifest() {
  local file=$SKCI_SHARE_DIR/versions.txt
  mkdir -p "$SKCI_SHARE_DIR"
  touch "$file"
  local tmp
  tmp=$(mktemp)
  grep -v "^$1=" "$file" > "$tmp" || true
  printf '%s=%s\n' "$1" "$2" >> "$tmp"
  sort -o "$tmp" "$tmp"
  install -m 0644 "$tmp" "$file"
  rm -f "$tmp"
}
