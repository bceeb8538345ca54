#!/usr/bin/env bash
# Prepares (once per inputs) what ami-scripts/kind-cluster.sh reads from the machine image's
# $SKCI_SHARE_DIR/kind, for the node image built on this machine, and prints the share directory
# (pass it as SKCI_SHARE_DIR):
#   <dir>/kind/kwok.yaml, cert-manager.yaml, images.txt   ami-scripts/render-kind-manifests.sh
#                                                         (helm and kubectl built from the pins)
#   <dir>/kind/kind-config.yaml                           ami-scripts/kind/kind-config.yaml
#   <dir>/kind/node-image                                 scripts/kind/build-node-image.sh --print-image
#   <dir>/kind/bin/kind                                   a link to the pinned kind (scripts/kind/build-binaries.sh);
#                                                         the image installs it on the PATH instead
# skci --provider kind finds this directory through this script in a checkout (bin/skci sets SKCI_HOME).
# Cached in $kind_cache/share/<key>/, key = the node image's key and the manifests' inputs.
# Usage: scripts/kind/share-dir.sh
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

key=$(kind_node_key)-$(hash_files "$skci_root/scripts/kind/share-dir.sh" "$skci_root/ami-scripts/render-kind-manifests.sh" "$skci_root/ami-scripts/lib.sh" \
  "$skci_root"/ami-scripts/kind/*.yaml)
dir=$kind_cache/share/$key
if [[ -f "$dir/kind/node-image" ]]; then echo "$dir"; exit 0; fi

bash "$skci_root/scripts/kind/build-binaries.sh" --check >&2 || kfail "kind binaries missing; run scripts/kind/build-binaries.sh"
bash "$skci_root/scripts/kind/build-node-image.sh" --check >&2 || kfail "the node image is not built; run scripts/kind/build-node-image.sh"
tmp=$kind_cache/share/.tmp-$$
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/kind"
HELM=$(kind_bin_dir)/helm KUBECTL=$(control_plane_bin_dir)/kubectl \
  bash "$skci_root/ami-scripts/render-kind-manifests.sh" "$tmp/kind" >&2 \
  || kfail "rendering the KWOK and cert-manager manifests failed; see above"
install -m 0644 "$skci_root/ami-scripts/kind/kind-config.yaml" "$tmp/kind/kind-config.yaml"
bash "$skci_root/scripts/kind/build-node-image.sh" --print-image > "$tmp/kind/node-image"
mkdir -p "$tmp/kind/bin"
ln -s "$(kind_bin_dir)/kind" "$tmp/kind/bin/kind"
# Every image the manifests name must be one the node image carries (nothing may be pulled).
mapfile -t built < <(bash "$skci_root/scripts/kind/build-images.sh" --list)
while read -r ref; do
  [[ -z "$ref" ]] || printf '%s\n' "${built[@]}" | grep -qxF "$ref" \
    || kfail "the manifests need $ref, which scripts/kind/build-images.sh does not build"
done < "$tmp/kind/images.txt"
rm -rf "$dir"
mv "$tmp" "$dir"
echo "$dir"
