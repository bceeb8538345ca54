# Shared by the scripts in scripts/kind/ (sourced, never run): the pins, the cache layout and the
# cache keys of the kind path's parts. Everything is cached outside the checkout, under
#   ${SKCI_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/skci}/kind/
#     bin/<bin-key>/        kubelet, kubeadm, kube-proxy, kind, crictl, coredns, etcd, pause, helm,
#                           cert-manager-webhook (scripts/kind/build-binaries.sh)
#     rootfs/<key>.tar      Debian rootfs tarballs made by mmdebstrap (node, iptables base)
#     manifests/<key>/      the rendered KWOK and cert-manager manifests (render-kind-manifests.sh)
# The node image itself lives in the Docker engine, tagged with its key (build-node-image.sh).
# shellcheck shell=bash

skci_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../../tools/versions.env
source "$skci_root/tools/versions.env"
skci_cache=${SKCI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/skci}
kind_cache=$skci_cache/kind

kstep() { printf 'skci-kind: [%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
kfail() { printf 'skci-kind: %s\n' "$1" >&2; exit "${2:-3}"; }

# hash_files FILE... : a short content hash of the files (names and bytes), for cache keys.
hash_files() {
  local f
  for f in "$@"; do printf '%s\n' "${f#"$skci_root"/}"; cat "$f"; done | sha256sum | cut -c1-12
}

# The Go wrapper modules the kind path builds from, and their go.mod/go.sum.
kind_modules=(k8s kind crictl coredns helm etcd-kind cert-manager pause)
kind_module_files() {
  local m
  for m in "${kind_modules[@]}"; do
    ls "$skci_root/tools/$m"/go.mod "$skci_root/tools/$m"/go.sum "$skci_root/tools/$m"/*.go 2>/dev/null || true
  done
}

# bin key: the pinned versions and the exact module graphs they are built from.
kind_bin_key() {
  local files
  mapfile -t files < <(kind_module_files)
  echo "k8s-${KUBERNETES_VERSION}_kind-${KIND_VERSION}_$(hash_files "$skci_root/tools/versions.env" "${files[@]}")"
}
kind_bin_dir() { echo "$kind_cache/bin/$(kind_bin_key)"; }

# The control-plane binaries shared with the local provider (scripts/build-binaries.sh).
control_plane_bin_dir() { bash "$skci_root/scripts/build-binaries.sh" --print-dir; }

# node image key: everything that goes into the image: the pins, the module graphs, and the scripts
# and files that build it (scripts/kind/{lib,build-*,rootfs}.sh, scripts/kind/node/).
kind_node_key() {
  local files
  mapfile -t files < <(kind_module_files; ls "$skci_root"/scripts/kind/{lib,build-binaries,build-images,build-node-image,rootfs}.sh; find "$skci_root/scripts/kind/node" -type f | sort)
  hash_files "$skci_root/tools/versions.env" "${files[@]}"
}
kind_node_image() { echo "skci.local/kind-node:${KUBERNETES_VERSION}-$(kind_node_key)"; }

# need_docker : fail (exit 3) unless a Docker engine answers.
need_docker() {
  command -v docker >/dev/null || kfail "docker is not installed; scripts/docker-engine.sh up installs and starts an engine"
  docker info >/dev/null 2>&1 || kfail "no Docker engine answers; start one (scripts/docker-engine.sh up) or fix DOCKER_HOST"
}
