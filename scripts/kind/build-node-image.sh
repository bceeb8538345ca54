#!/usr/bin/env bash
# Builds skci's offline kind node image from pinned parts, with no registry and no GitHub download:
#
#   rootfs      Debian $KIND_DEBIAN_SUITE with systemd, containerd, runc and the CNI plugins (Debian
#               packages, mmdebstrap; scripts/kind/rootfs.sh)
#   kind files  images/base/files of the pinned sigs.k8s.io/kind module (entrypoint, systemd units,
#               containerd config, kubelet drop-ins), installed the way kind's base image does
#   binaries    kubelet, kubeadm, kubectl, crictl (scripts/build-binaries.sh, scripts/kind/build-binaries.sh)
#   images      the control plane, kube-proxy, etcd, CoreDNS, pause, KWOK and cert-manager
#               (scripts/kind/build-images.sh), imported into the node's containerd, so neither
#               kubeadm nor the manifests pull anything
#   networking  containerd's CNI config template (scripts/kind/node/), no CNI DaemonSet
#
# The result is the Docker image $(kind_node_image), skci.local/kind-node:<k8s>-<key>, where the key
# hashes every input (tools/, scripts/kind/, ami-scripts/kind/). A second run with the same inputs
# finds it and does nothing. `kind create cluster --image <it>` then works with no network.
#
# Usage: scripts/kind/build-node-image.sh [--print-image | --check]
#   --print-image  print the image reference and exit
#   --check        exit 0 when the image and its component images exist, 3 otherwise
# Needs: a Docker engine (scripts/docker-engine.sh up), root for mmdebstrap and the rootfs, Go.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

image=$(kind_node_image)
key=$(kind_node_key)
image_present() {
  [[ "$(docker image inspect --format '{{index .Config.Labels "dev.skci.kind.key"}}' "$image" 2>/dev/null)" == "$key" ]] \
    && bash "$skci_root/scripts/kind/build-images.sh" --check 2>/dev/null
}
case "${1:-}" in
  --print-image) echo "$image"; exit 0 ;;
  --check) need_docker; image_present || kfail "node image $image is not built; run scripts/kind/build-node-image.sh"; exit 0 ;;
  "") ;;
  *) kfail "unknown option '$1' (usage: scripts/kind/build-node-image.sh [--print-image | --check])" 2 ;;
esac
need_docker
if image_present; then kstep "node image $image already built (nothing to do)"; echo "$image"; exit 0; fi
[[ $(id -u) -eq 0 ]] || kfail "building the node image needs root (the rootfs keeps its owners and device nodes)"

mkdir -p "$kind_cache"
exec 8>"$kind_cache/.node-image.lock"
if ! flock -n 8; then kstep "another node image build is running; waiting for it"; flock 8; fi
if image_present; then kstep "node image $image was built by the other run (nothing to do)"; echo "$image"; exit 0; fi

t_all=$(date +%s)
bash "$skci_root/scripts/build-binaries.sh" >&2
bash "$skci_root/scripts/kind/build-binaries.sh" >&2
cp_bin=$(control_plane_bin_dir)
kind_bin=$(kind_bin_dir)
# kind's node base lists these (images/base/Dockerfile); skci adds containerd, runc and the CNI
# plugins from Debian, and leaves out what only NFS/iSCSI storage and rootless mode need.
node_rootfs=$(bash "$skci_root/scripts/kind/rootfs.sh" node minbase \
  systemd,conntrack,iptables,nftables,iproute2,ethtool,util-linux,mount,kmod,libseccomp2,pigz,bash,ca-certificates,curl,jq,procps,containerd,runc,containernetworking-plugins)
bash "$skci_root/scripts/kind/build-images.sh" >&2

kind_src=$(go -C "$skci_root/tools/kind" list -m -f '{{.Dir}}' sigs.k8s.io/kind)/images/base/files
[[ -f "$kind_src/usr/local/bin/entrypoint" ]] || kfail "sigs.k8s.io/kind@$KIND_VERSION has no images/base/files/usr/local/bin/entrypoint"

work=$(mktemp -d "${TMPDIR:-/tmp}/skci-kind-node.XXXXXX")
build_container=skci-kind-build-$$
base_image=skci.local/kind-node-base:$key
cleanup() {
  docker rm -f -v "$build_container" >/dev/null 2>&1 || true
  docker image rm "$base_image" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
root=$work/rootfs
mkdir -p "$root"
t=$(date +%s)
tar -C "$root" -xf "$node_rootfs"

# --- kind's base files, with the modes kind's Dockerfile gives them
install -m 0755 "$kind_src"/usr/local/bin/* "$root/usr/local/bin/"
mkdir -p "$root/kind/bin" "$root/etc/containerd" "$root/etc/systemd/system/kubelet.service.d" "$root/etc/sysctl.d" \
         "$root/etc/default" "$root/kind/manifests" "$root/etc/kubernetes/manifests" "$root/opt/cni/bin" "$root/etc/cni/net.d"
install -m 0644 "$kind_src"/kind/*.txt "$root/kind/"
install -m 0755 "$kind_src"/kind/bin/* "$root/kind/bin/"
install -m 0644 "$kind_src"/etc/crictl.yaml "$root/etc/"
install -m 0644 "$kind_src"/etc/containerd/config.toml "$root/etc/containerd/"
install -m 0644 "$kind_src"/etc/default/kubelet "$root/etc/default/"
install -m 0644 "$kind_src"/etc/sysctl.d/* "$root/etc/sysctl.d/"
install -m 0644 "$kind_src"/etc/systemd/system/*.service "$kind_src"/etc/systemd/system/*.slice "$root/etc/systemd/system/"
install -m 0644 "$kind_src"/etc/systemd/system/kubelet.service.d/* "$root/etc/systemd/system/kubelet.service.d/"

# --- binaries where kind's units and tools expect them
install -m 0755 "$kind_bin/kubelet" "$kind_bin/kubeadm" "$cp_bin/kubectl" "$root/usr/bin/"
install -m 0755 "$kind_bin/crictl" "$root/usr/local/bin/"
# kind's containerd.service runs /usr/local/bin/containerd; Debian installs it in /usr/bin.
for b in containerd ctr containerd-shim-runc-v2; do ln -sf "/usr/bin/$b" "$root/usr/local/bin/$b"; done
# Debian's CNI plugins live in /usr/lib/cni; kubelet, containerd and kind look in /opt/cni/bin.
for p in "$root"/usr/lib/cni/*; do ln -sf "/usr/lib/cni/$(basename "$p")" "$root/opt/cni/bin/"; done
echo "$KUBERNETES_VERSION" > "$root/kind/version"

# --- skci's additions: pod networking from containerd's CNI template, default manifests
cat "$skci_root/scripts/kind/node/containerd-cni.toml" >> "$root/etc/containerd/config.toml"
install -m 0644 "$skci_root/scripts/kind/node/cni.template" "$root/etc/containerd/cni.template"
install -m 0644 "$skci_root/scripts/kind/node/default-cni.yaml" "$skci_root/scripts/kind/node/default-storage.yaml" "$root/kind/manifests/"

# --- systemd as the container's init, trimmed the way kind's base image is
rm -f "$root"/lib/systemd/system/sysinit.target.wants/systemd-tmpfiles-setup.service \
      "$root"/lib/systemd/system/multi-user.target.wants/* "$root"/etc/systemd/system/*.wants/* \
      "$root"/lib/systemd/system/local-fs.target.wants/* "$root"/lib/systemd/system/sockets.target.wants/*udev* \
      "$root"/lib/systemd/system/sockets.target.wants/*initctl* "$root"/lib/systemd/system/basic.target.wants/*
echo "ReadKMsg=no" >> "$root/etc/systemd/journald.conf"
[[ -e "$root/sbin/init" ]] || ln -s /lib/systemd/systemd "$root/sbin/init"
systemctl --root="$root" --quiet enable kubelet.service containerd.service undo-mount-hacks.service
systemctl --root="$root" --quiet mask systemd-binfmt.service
# containerd's base OCI spec for pods, as kind makes it: its default spec, with the hook that gives
# each container the node's own product_uuid, and without the default rlimits.
chroot "$root" /bin/sh -c 'ctr oci spec | jq ".hooks.createContainer[.hooks.createContainer|length] |= . + {\"path\": \"/kind/bin/mount-product-files.sh\"}" | jq "del(.process.rlimits)" > /etc/containerd/cri-base.json'
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/log/*.log "$root"/etc/machine-id
kstep "node rootfs assembled in $(( $(date +%s) - t ))s ($(du -sh "$root" | cut -f1))"

# --- the image: the rootfs, then the component images imported into its containerd (kind does the
# same in `kind build node-image`: containerd in a plain container, images imported unpacked on
# first use, then docker commit).
t=$(date +%s)
tar -C "$root" --numeric-owner -cf - . | docker import - "$base_image" >/dev/null || kfail "docker import of the node rootfs failed"
rm -rf "$root"
docker run -d --name "$build_container" --entrypoint sleep --security-opt seccomp=unconfined \
  "$base_image" infinity >/dev/null || kfail "could not start the build container from $base_image"
docker exec -d "$build_container" containerd
ready=0
for _ in $(seq 60); do
  if docker exec "$build_container" ctr version >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.5
done
(( ready )) || kfail "containerd did not start in the build container"
mapfile -t refs < <(bash "$skci_root/scripts/kind/build-images.sh" --list)
docker save "${refs[@]}" | docker exec -i "$build_container" \
  ctr --namespace=k8s.io images import --label=io.cri-containerd.pinned=pinned --all-platforms --no-unpack --digests - >/dev/null \
  || kfail "importing the component images into the node's containerd failed"
have=$(docker exec "$build_container" ctr --namespace=k8s.io images list -q)
for ref in "${refs[@]}"; do
  grep -qxF "$ref" <<< "$have" || kfail "$ref is missing from the node's containerd after the import"
done
docker exec "$build_container" pkill -x containerd || true
for _ in $(seq 40); do docker exec "$build_container" pgrep -x containerd >/dev/null 2>&1 || break; sleep 0.25; done
# (No STOPSIGNAL: Docker 20.10's commit does not accept it. kind deletes nodes with docker rm -f, so
# only a manual `docker stop` of a node waits its 10 s for systemd, which ignores SIGTERM.)
docker commit \
  --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' \
  --change 'CMD []' \
  --change 'ENV container=docker' \
  --change "LABEL dev.skci.kind.key=$key" \
  --change "LABEL dev.skci.kind.kubernetes=$KUBERNETES_VERSION" \
  "$build_container" "$image" >/dev/null || kfail "docker commit of the node image failed"
# Older node images of skci (other keys) and the untagged component images they replaced go, so
# rebuilds do not fill the disk; only images with skci's label are touched, and none in use.
docker image ls --format '{{.Repository}}:{{.Tag}}' skci.local/kind-node | grep -vxF "$image" \
  | xargs -r docker image rm >/dev/null 2>&1 || true
docker image prune -f --filter label=dev.skci.kind.key >/dev/null 2>&1 || true
kstep "node image $image: built in $(( $(date +%s) - t ))s, $(( $(date +%s) - t_all ))s in all ($(docker image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"
echo "$image"
