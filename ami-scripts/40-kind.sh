#!/usr/bin/env bash
# AMI step 40: the kind path. Docker, kind, the manifests of a kind cluster running KWOK and a non-HA
# cert-manager, every container image that cluster needs (preloaded, so it boots without pulling),
# and the opt-in systemd unit skci-kind.service that pre-creates the cluster at boot.
#
# The image's default provider stays `local` (no Docker daemon needed, the path skci's tests cover);
# the kind cluster is used through `skci run --provider existing --kubeconfig ... --webhook-host ...`
# with the values that ami-scripts/kind-cluster.sh writes (docs/ci.md).
#
#   docker   Ubuntu's docker.io package.
#   kind     built from the Go module proxy at $KIND_VERSION; the module's h1: hash must be $KIND_MODULE_SUM.
#   node     $KIND_NODE_IMAGE, pinned by digest (the default is kind's own default image for that release).
#   helm     built the same way ($HELM_VERSION, $HELM_MODULE_SUM), used only to render cert-manager's
#            chart, then removed.
#   manifests  render-kind-manifests.sh into $SKCI_SHARE_DIR/kind, checked against
#            KWOK_MANIFEST_SHA256 / CERT_MANAGER_MANIFEST_SHA256 when those are set.
#   images   pulled by tag, or by digest for every "ref=sha256:..." entry in $IMAGE_DIGESTS; the digests
#            actually pulled are recorded in $SKCI_SHARE_DIR/kind/images.lock and versions.txt.
#
# Inputs (environment): KIND_VERSION, KIND_MODULE_SUM, KIND_NODE_IMAGE, HELM_VERSION, HELM_MODULE_SUM,
#   KWOK_VERSION, CERT_MANAGER_VERSION, KWOK_MODULE_SUM, CERT_MANAGER_MODULE_SUM, KWOK_MANIFEST_SHA256,
#   CERT_MANAGER_MANIFEST_SHA256, IMAGE_DIGESTS (optional), SKCI_USERS (added to the docker group),
#   ENABLE_KIND_AT_BOOT (true|false), INSTALL_KIND (default true; false skips this step).
# Idempotent: installed packages, an installed kind of the same version, pulled images and the unit
# are left as they are; manifests are re-rendered (same bytes).
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
require_vars KIND_VERSION KIND_MODULE_SUM KIND_NODE_IMAGE HELM_VERSION HELM_MODULE_SUM KWOK_VERSION CERT_MANAGER_VERSION
command -v go >/dev/null || die "Go is not installed; step 10 installs it"
kubectl=$SKCI_BIN_LINK_DIR/kubectl
[[ -x "$kubectl" ]] || die "kubectl is not linked at $kubectl; step 30 builds it"
[[ "$KIND_NODE_IMAGE" == *@sha256:* ]] || die "KIND_NODE_IMAGE must be pinned by digest (name:tag@sha256:...)"

: "${SKCI_GO_CACHE_DIR:=/var/cache/skci-go}"
export GOPATH=$SKCI_GO_CACHE_DIR/gopath GOCACHE=$SKCI_GO_CACHE_DIR/build GOTOOLCHAIN=local
export DEBIAN_FRONTEND=noninteractive

log "installing Docker (Ubuntu's docker.io)"
apt-get install -y -q --no-install-recommends docker.io
systemctl enable --now docker.service
for user in ${SKCI_USERS:-}; do
  id "$user" >/dev/null 2>&1 && usermod -aG docker "$user"
done
versions_manifest docker "$(dpkg-query -W -f='${Version}' docker.io)"

tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
if [[ -x "$SKCI_BIN_LINK_DIR/kind" ]] && "$SKCI_BIN_LINK_DIR/kind" version | grep -q "kind $KIND_VERSION "; then
  log "kind $KIND_VERSION already installed"
else
  log "building kind $KIND_VERSION from the Go module proxy"
  check_module_sum "sigs.k8s.io/kind@$KIND_VERSION" "$KIND_MODULE_SUM"
  GOBIN=$tools CGO_ENABLED=0 go install -trimpath "sigs.k8s.io/kind@$KIND_VERSION"
  install -m 0755 "$tools/kind" "$SKCI_BIN_LINK_DIR/kind"
fi
versions_manifest kind "$KIND_VERSION ($KIND_MODULE_SUM)"

log "building helm $HELM_VERSION (only to render cert-manager's chart)"
check_module_sum "helm.sh/helm/v3@$HELM_VERSION" "$HELM_MODULE_SUM"
GOBIN=$tools CGO_ENABLED=0 go install -trimpath "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"

kind_share=$SKCI_SHARE_DIR/kind
mkdir -p "$kind_share"
HELM=$tools/helm KUBECTL=$kubectl bash "$here/render-kind-manifests.sh" "$kind_share"
install -m 0644 "$here/kind/kind-config.yaml" "$kind_share/kind-config.yaml"
echo "$KIND_NODE_IMAGE" > "$kind_share/node-image"
chmod 0644 "$kind_share/node-image"
versions_manifest kind.kwok "$KWOK_VERSION (manifest sha256 $(sha256sum "$kind_share/kwok.yaml" | cut -d' ' -f1))"
versions_manifest kind.cert-manager "$CERT_MANAGER_VERSION (manifest sha256 $(sha256sum "$kind_share/cert-manager.yaml" | cut -d' ' -f1))"

# pinned_digest REF : the sha256:... pinned for REF in IMAGE_DIGESTS ("ref=sha256:..." words), if any.
pinned_digest() {
  local entry
  for entry in ${IMAGE_DIGESTS:-}; do
    [[ "${entry%%=*}" == "$1" ]] && { echo "${entry#*=}"; return; }
  done
}
log "pulling the node image and the images the manifests need"
docker pull -q "$KIND_NODE_IMAGE" >/dev/null
: > "$kind_share/images.lock.tmp"
echo "$KIND_NODE_IMAGE" >> "$kind_share/images.lock.tmp"
while read -r ref; do
  [[ -n "$ref" ]] || continue
  digest=$(pinned_digest "$ref")
  if [[ -n "$digest" ]]; then
    docker pull -q "${ref%:*}@$digest" >/dev/null
    docker tag "${ref%:*}@$digest" "$ref"
  else
    docker pull -q "$ref" >/dev/null
  fi
  resolved=$(docker image inspect --format '{{index .RepoDigests 0}}' "$ref")
  echo "$ref ${resolved#*@}" >> "$kind_share/images.lock.tmp"
  versions_manifest "image.$ref" "${resolved#*@}"
done < "$kind_share/images.txt"
mv -f "$kind_share/images.lock.tmp" "$kind_share/images.lock"
chmod 0644 "$kind_share/images.lock"

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
