#!/usr/bin/env bash
# Builds the container images a kind cluster from skci's node image runs, from locally built
# binaries, and imports them into the Docker engine under the names and tags kubeadm, kind and the
# rendered manifests use. Nothing is pulled from a registry.
#
#   registry.k8s.io/kube-apiserver, kube-controller-manager, kube-scheduler:$KUBERNETES_VERSION
#   registry.k8s.io/kube-proxy:$KUBERNETES_VERSION      (+ iptables and conntrack from Debian)
#   registry.k8s.io/etcd:<KIND_ETCD_VERSION>-0          (kubeadm's tag form)
#   registry.k8s.io/coredns/coredns:$KIND_COREDNS_VERSION
#   registry.k8s.io/pause:$KIND_PAUSE_TAG               (tools/pause)
#   registry.k8s.io/kwok/kwok:$KWOK_VERSION
#   quay.io/jetstack/cert-manager-{controller,cainjector,webhook}:$CERT_MANAGER_VERSION
#
# Each image is one layer: the binary at the path its upstream image has it, a minimal /etc
# (passwd, group, nsswitch.conf, CA bundle) and /tmp; entrypoint and user as upstream (numeric, so
# runAsNonRoot can be checked). Every image carries the label dev.skci.kind.key=<node key>, so a
# second run with the same inputs finds them and does nothing.
#
# Usage: scripts/kind/build-images.sh [--list | --check]
#   --list   print the image references, one per line
#   --check  exit 0 when all are present with this key, 3 otherwise
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

k8s=$KUBERNETES_VERSION
# ref|binary (from the bin dirs)|path in the image|user|extra base rootfs (optional)
specs=(
  "registry.k8s.io/kube-apiserver:$k8s|cp:kube-apiserver|/usr/local/bin/kube-apiserver|0|"
  "registry.k8s.io/kube-controller-manager:$k8s|cp:kube-controller-manager|/usr/local/bin/kube-controller-manager|0|"
  "registry.k8s.io/kube-scheduler:$k8s|cp:kube-scheduler|/usr/local/bin/kube-scheduler|0|"
  "registry.k8s.io/kube-proxy:$k8s|kind:kube-proxy|/usr/local/bin/kube-proxy|0|iptables"
  "registry.k8s.io/etcd:${KIND_ETCD_VERSION#v}-0|kind:etcd|/usr/local/bin/etcd|0|"
  "registry.k8s.io/coredns/coredns:$KIND_COREDNS_VERSION|kind:coredns|/coredns|0|"
  "registry.k8s.io/pause:$KIND_PAUSE_TAG|kind:pause|/pause|65535|"
  "registry.k8s.io/kwok/kwok:$KWOK_VERSION|cp:kwok|/usr/local/bin/kwok|0|"
  "quay.io/jetstack/cert-manager-controller:$CERT_MANAGER_VERSION|cp:cert-manager-controller|/app/cmd/controller/controller|1000|"
  "quay.io/jetstack/cert-manager-cainjector:$CERT_MANAGER_VERSION|cp:cert-manager-cainjector|/app/cmd/cainjector/cainjector|1000|"
  "quay.io/jetstack/cert-manager-webhook:$CERT_MANAGER_VERSION|kind:cert-manager-webhook|/app/cmd/webhook/webhook|1000|"
)
key=$(kind_node_key)

present() {  # present REF : the image exists with this key
  [[ "$(docker image inspect --format '{{index .Config.Labels "dev.skci.kind.key"}}' "$1" 2>/dev/null)" == "$key" ]]
}
missing_images() {
  missing=()
  local s
  for s in "${specs[@]}"; do present "${s%%|*}" || missing+=("${s%%|*}"); done
}

case "${1:-}" in
  --list) for s in "${specs[@]}"; do echo "${s%%|*}"; done; exit 0 ;;
  --check) need_docker; missing_images
           (( ${#missing[@]} == 0 )) || kfail "images missing (or from other inputs): ${missing[*]}; run scripts/kind/build-images.sh"
           exit 0 ;;
  "") ;;
  *) kfail "unknown option '$1' (usage: scripts/kind/build-images.sh [--list | --check])" 2 ;;
esac
need_docker
missing_images
if (( ${#missing[@]} == 0 )); then kstep "component images already built (nothing to do)"; exit 0; fi

cp_bin=$(control_plane_bin_dir)
kind_bin=$(kind_bin_dir)
bash "$skci_root/scripts/build-binaries.sh" --check >&2 || kfail "control-plane binaries missing; run scripts/build-binaries.sh"
bash "$skci_root/scripts/kind/build-binaries.sh" --check >&2 || kfail "kind binaries missing; run scripts/kind/build-binaries.sh"
iptables_rootfs=$(bash "$skci_root/scripts/kind/rootfs.sh" iptables essential iptables,conntrack)

work=$(mktemp -d "${TMPDIR:-/tmp}/skci-kind-images.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A minimal /etc and /tmp for one static binary.
base_files() {  # base_files DIR
  local d=$1
  mkdir -p "$d/etc/ssl/certs" "$d/tmp"
  chmod 1777 "$d/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:1000:1000::/home/nonroot:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' > "$d/etc/passwd"
  printf 'root:x:0:\nnonroot:x:1000:\nnogroup:x:65534:\n' > "$d/etc/group"
  echo 'hosts: files dns' > "$d/etc/nsswitch.conf"
  tar -xOf "$iptables_rootfs" ./etc/ssl/certs/ca-certificates.crt > "$d/etc/ssl/certs/ca-certificates.crt" 2>/dev/null || true
}

t=$(date +%s)
for s in "${specs[@]}"; do
  IFS='|' read -r ref bin path user base <<< "$s"
  if present "$ref"; then continue; fi
  src=$cp_bin/${bin#cp:}
  [[ "$bin" == kind:* ]] && src=$kind_bin/${bin#kind:}
  d=$work/$(basename "$path")
  mkdir -p "$d"
  [[ -n "$base" ]] && tar -C "$d" -xf "$iptables_rootfs"
  base_files "$d"
  install -D -m 0755 "$src" "$d$path"
  # --change values are fixed strings built here, not input.
  tar -C "$d" --numeric-owner -cf - . | docker import \
    --change "ENTRYPOINT [\"$path\"]" \
    --change "USER $user" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL dev.skci.kind.key=$key" \
    - "$ref" >/dev/null || kfail "docker import of $ref failed"
  rm -rf "$d"
  kstep "image $ref: built"
done
kstep "component images ready in $(( $(date +%s) - t ))s"
