#!/usr/bin/env bash
# Makes (once) a Debian rootfs tarball with mmdebstrap, cached by its inputs, and prints its path:
#   $kind_cache/rootfs/<name>-<suite>-<hash of variant and packages>.tar
# Packages come from the Debian mirror apt is configured with (no container registry). The suite is
# $KIND_DEBIAN_SUITE (tools/versions.env); the versions installed are listed next to the tarball in
# <same name>.packages, since a Debian mirror serves only the newest build of each package.
#
# Usage: scripts/kind/rootfs.sh NAME VARIANT PACKAGE[,PACKAGE...]
#   e.g. scripts/kind/rootfs.sh iptables essential iptables,conntrack
# Needs mmdebstrap (installed with apt-get when missing and running as root).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $# -eq 3 ]] || kfail "usage: scripts/kind/rootfs.sh NAME VARIANT PACKAGES" 2
name=$1 variant=$2 packages=$3
[[ "$name" =~ ^[a-z0-9-]+$ && "$variant" =~ ^[a-z]+$ && "$packages" =~ ^[a-z0-9.+,-]+$ ]] \
  || kfail "rootfs.sh: invalid name, variant or package list" 2

# Leave out documentation, manual pages and translations: nothing in a node reads them.
dpkg_opts=(--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
           --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*'
           --dpkgopt='path-exclude=/usr/share/info/*')
# The suite with its updates and security fixes, from Debian's own mirrors (on any host: the machine
# image is Ubuntu, whose apt sources are not Debian's; there the keyring is debian-archive-keyring's).
s=$KIND_DEBIAN_SUITE
mirrors=("deb http://deb.debian.org/debian $s main" "deb http://deb.debian.org/debian $s-updates main"
         "deb http://deb.debian.org/debian-security $s-security main")
keyring=()
if [[ "$(. /etc/os-release 2>/dev/null; echo "${ID:-}")" != debian ]]; then
  [[ -f /usr/share/keyrings/debian-archive-keyring.gpg ]] \
    || kfail "this host is not Debian and /usr/share/keyrings/debian-archive-keyring.gpg is missing; apt-get install debian-archive-keyring"
  keyring=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
fi
key=$(printf '%s\n' "$KIND_DEBIAN_SUITE" "$variant" "$packages" "${dpkg_opts[@]}" "${mirrors[@]}" | sha256sum | cut -c1-12)
out=$kind_cache/rootfs/$name-$KIND_DEBIAN_SUITE-$key.tar
if [[ -f "$out" ]]; then echo "$out"; exit 0; fi

if ! command -v mmdebstrap >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    kstep "installing mmdebstrap (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mmdebstrap >&2 \
      || kfail "could not install mmdebstrap; install it (apt-get install mmdebstrap) and retry"
  else
    kfail "mmdebstrap is required to build the kind node image's rootfs; install it (apt-get install mmdebstrap)"
  fi
fi
mkdir -p "$kind_cache/rootfs"
t=$(date +%s)
kstep "rootfs $name: mmdebstrap --variant=$variant $KIND_DEBIAN_SUITE (+ $packages)"
# mmdebstrap picks its output format from the file name: keep the .tar suffix.
tmp=$kind_cache/rootfs/.tmp-$$-$name.tar
trap 'rm -f "$tmp" "$tmp.packages"' EXIT
# Package versions are written by a hook from inside the finished rootfs.
if ! mmdebstrap --quiet --variant="$variant" --include="$packages" "${dpkg_opts[@]}" \
     --customize-hook="chroot \"\$1\" dpkg-query -W -f='\${Package} \${Version}\n' > '$tmp.packages'" \
     "${keyring[@]}" "$KIND_DEBIAN_SUITE" "$tmp" "${mirrors[@]}" >&2; then
  kfail "mmdebstrap failed (is the Debian mirror reachable?); see its output above"
fi
mv -f "$tmp.packages" "${out%.tar}.packages"
mv -f "$tmp" "$out"
# Rootfs tarballs of this name built from other inputs are not needed again.
find "$kind_cache/rootfs" -maxdepth 1 \( -name "$name-*.tar" -o -name "$name-*.packages" \) \
  ! -name "$(basename "$out")" ! -name "$(basename "${out%.tar}.packages")" -delete
kstep "rootfs $name: done in $(( $(date +%s) - t ))s ($(du -h "$out" | cut -f1))"
echo "$out"
