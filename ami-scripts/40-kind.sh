#!/usr/bin/env bash
# AMI step 40: the kind path. Docker, kind, skci's offline kind node image built on the instance from
# pinned parts (the same scripts skci's tests build and test it with: scripts/kind/), the manifests of
# a kind cluster running KWOK and a non-HA cert-manager, and the opt-in systemd unit skci-kind.service
# that pre-creates the cluster at boot. Nothing is pulled from a container registry.
#
# The image's default provider stays `local` (no Docker daemon needed); the kind cluster is used through
# `skci run --provider existing --kubeconfig ... --webhook-host ...` with the values that
# ami-scripts/kind-cluster.sh writes (docs/ci.md, docs/kind.md).
#
#   docker     Ubuntu's docker.io package (plus mmdebstrap and debian-archive-keyring for the rootfs).
#   binaries   scripts/kind/build-binaries.sh: kind, kubelet, kubeadm, kube-proxy, etcd, CoreDNS, crictl,
#              pause, helm, cert-manager's webhook, from the Go module proxy at the versions in
#              tools/versions.env; the kind and helm module h1: hashes must be $KIND_MODULE_SUM and
#              $HELM_MODULE_SUM.
#   node image scripts/kind/build-node-image.sh: Debian $KIND_DEBIAN_SUITE rootfs (mmdebstrap), kind's base
#              files from the kind module, the control-plane, CoreDNS, pause, KWOK and cert-manager images
#              built from those binaries and imported into the node's containerd. It also leaves the
#              component images in Docker, where `kind load docker-image` finds them.
#   manifests  render-kind-manifests.sh into $SKCI_SHARE_DIR/kind, checked against KWOK_MANIFEST_SHA256 /
#              CERT_MANAGER_MANIFEST_SHA256 when those are set.
#   record     the node image and every component image ID go to $SKCI_SHARE_DIR/kind/images.lock and
#              versions.txt, with the Debian package versions of the node rootfs.
#
# Inputs (environment): KIND_VERSION, KIND_MODULE_SUM, HELM_VERSION, HELM_MODULE_SUM, KWOK_VERSION,
#   CERT_MANAGER_VERSION, KWOK_MODULE_SUM, CERT_MANAGER_MODULE_SUM, KWOK_MANIFEST_SHA256,
#   CERT_MANAGER_MANIFEST_SHA256, SKCI_USERS (added to the docker group), ENABLE_KIND_AT_BOOT
#   (true|false), INSTALL_KIND (default true; false skips this step). The versions must equal the
#   commit's tools/versions.env, which is what the scripts build.
# Idempotent: installed packages, built binaries and a built image are left as they are (each script
# says "nothing to do"); manifests are re-rendered (same bytes).
# shellcheck disable=SC2154 # upper-case inputs come from the environment; require_vars checks them
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
require_root
if [[ "${INSTALL_KIND:-true}" != true ]]; then
  log "INSTALL_KIND=${INSTALL_KIND}: skipping the kind path (the image's default provider is local either way)"
  exit 0
fi
require_vars KIND_VERSION KIND_MODULE_SUM HELM_VERSION HELM_MODULE_SUM KWOK_VERSION CERT_MANAGER_VERSION
command -v go >/dev/null || die "Go is not installed; step 10 installs it"
kubectl=$SKCI_BIN_LINK_DIR/kubectl
[[ -x "$kubectl" ]] || die "kubectl is not linked at $kubectl; step 30 builds it"
[[ -f "$SKCI_PREFIX/scripts/kind/build-node-image.sh" ]] || die "$SKCI_PREFIX/scripts/kind is missing; step 20 installs the runner"

# The Packer pins and the commit's pins must agree: the scripts build what tools/versions.env says.
for v in KIND_VERSION HELM_VERSION KWOK_VERSION CERT_MANAGER_VERSION; do
  pinned=$(sed -n "s/^$v=//p" "$SKCI_PREFIX/tools/versions.env")
  [[ "$pinned" == "${!v}" ]] || die "$v=${!v} (Packer) but tools/versions.env pins $pinned; make them agree"
done

: "${SKCI_GO_CACHE_DIR:=/var/cache/skci-go}"
export GOPATH=$SKCI_GO_CACHE_DIR/gopath GOCACHE=$SKCI_GO_CACHE_DIR/build GOTOOLCHAIN=local
export DEBIAN_FRONTEND=noninteractive

log "installing Docker (Ubuntu's docker.io) and mmdebstrap"
apt-get install -y -q --no-install-recommends docker.io mmdebstrap debian-archive-keyring
systemctl enable --now docker.service
for user in ${SKCI_USERS:-}; do
  id "$user" >/dev/null 2>&1 && usermod -aG docker "$user"
done
versions_manifest docker "$(dpkg-query -W -f='${Version}' docker.io)"

check_module_sum "sigs.k8s.io/kind@$KIND_VERSION" "$KIND_MODULE_SUM"
check_module_sum "helm.sh/helm/v3@$HELM_VERSION" "$HELM_MODULE_SUM"
log "building the kind path's binaries (scripts/kind/build-binaries.sh)"
bash "$SKCI_PREFIX/scripts/kind/build-binaries.sh"
kind_bin=$(bash "$SKCI_PREFIX/scripts/kind/build-binaries.sh" --print-dir)
install -m 0755 "$kind_bin/kind" "$SKCI_BIN_LINK_DIR/kind"
versions_manifest kind "$KIND_VERSION ($KIND_MODULE_SUM)"

log "building the offline kind node image (scripts/kind/build-node-image.sh)"
bash "$SKCI_PREFIX/scripts/kind/build-node-image.sh"
node_image=$(bash "$SKCI_PREFIX/scripts/kind/build-node-image.sh" --print-image)

kind_share=$SKCI_SHARE_DIR/kind
mkdir -p "$kind_share"
HELM=$kind_bin/helm KUBECTL=$kubectl bash "$here/render-kind-manifests.sh" "$kind_share"
install -m 0644 "$here/kind/kind-config.yaml" "$kind_share/kind-config.yaml"
echo "$node_image" > "$kind_share/node-image"
chmod 0644 "$kind_share/node-image"
versions_manifest kind.kwok "$KWOK_VERSION (manifest sha256 $(sha256sum "$kind_share/kwok.yaml" | cut -d' ' -f1))"
versions_manifest kind.cert-manager "$CERT_MANAGER_VERSION (manifest sha256 $(sha256sum "$kind_share/cert-manager.yaml" | cut -d' ' -f1))"

# What was built, by image ID (the images are local: they have no registry digest).
image_id() { docker image inspect --format '{{.Id}}' "$1"; }
{
  echo "$node_image $(image_id "$node_image")"
  while read -r ref; do
    [[ -n "$ref" ]] || continue
    docker image inspect "$ref" >/dev/null 2>&1 || die "the manifests need $ref, which the node image build did not make"
    echo "$ref $(image_id "$ref")"
  done < <(bash "$SKCI_PREFIX/scripts/kind/build-images.sh" --list)
} > "$kind_share/images.lock.tmp"
mv -f "$kind_share/images.lock.tmp" "$kind_share/images.lock"
chmod 0644 "$kind_share/images.lock"
while read -r ref id; do versions_manifest "image.$ref" "$id"; done < "$kind_share/images.lock"
rootfs_packages=$(find "$SKCI_CACHE_DIR/kind/rootfs" -name 'node-*.packages' -printf '%T@ %p\n' 2>/dev/null | sort -rn | head -1 | cut -d' ' -f2-)
[[ -n "$rootfs_packages" ]] && versions_manifest kind.node-rootfs \
  "Debian $(sed -n 's/^KIND_DEBIAN_SUITE=//p' "$SKCI_PREFIX/tools/versions.env"): $(grep -E '^(containerd|runc|containernetworking-plugins|systemd) ' "$rootfs_packages" | tr '\n' ';')"

# skci --provider kind keeps its kubeconfigs and fetched logs in $SKCI_CACHE_DIR/clusters/.kind, shared
# by the skci group like the local provider's clusters (20-skci.sh makes the parent).
install -d -m 2775 -g "$SKCI_GROUP" "$SKCI_CACHE_DIR/clusters/.kind" "$SKCI_CACHE_DIR/clusters/.kind/.locks"

unit_dir=$SKCI_ETC_DIR/systemd/system
install -d -m 0755 "$unit_dir"
sed "s|@SKCI_PREFIX@|$SKCI_PREFIX|g; s|@SKCI_SHARE_DIR@|$SKCI_SHARE_DIR|g" \
  "$here/kind/skci-kind.service" > "$unit_dir/skci-kind.service"
chmod 0644 "$unit_dir/skci-kind.service"
systemctl daemon-reload
if [[ "${ENABLE_KIND_AT_BOOT:-false}" == true ]]; then
  systemctl enable skci-kind.service
  log "skci-kind.service enabled: the kind cluster is created at every boot"
else
  log "skci-kind.service installed but not enabled (opt in: sudo systemctl enable --now skci-kind.service)"
fi
