#!/usr/bin/env bash
# Renders the manifests the image's kind cluster runs: KWOK (controller + CRDs) and a non-HA
# cert-manager (CRDs, controller, cainjector, webhook), plus the list of container images they need.
#
# Both come from their Go modules, so their source is pinned by the module proxy and the Go checksum
# database rather than by a download of a release asset:
#   KWOK:         sigs.k8s.io/kwok@$KWOK_VERSION, kustomize/kwok (the release's kwok.yaml), image tag set
#                 to $KWOK_VERSION. Its config enables the Stage CRD, so KWOK runs only skci's stages.
#   cert-manager: github.com/cert-manager/cert-manager@$CERT_MANAGER_VERSION, deploy/charts/cert-manager
#                 with deploy/crds added as templates (as the release build does), rendered by helm with
#                 kind/cert-manager-values.yaml (one replica each, --leader-elect=false).
# Output is deterministic for fixed versions; pass the expected sha256 of each file to check that.
#
# Usage: render-kind-manifests.sh OUTDIR
# Environment: KWOK_VERSION, CERT_MANAGER_VERSION (default: tools/versions.env), KUBERNETES_VERSION
#   (default: tools/versions.env; what helm renders for), HELM (default: helm), KUBECTL (default:
#   kubectl), and optionally KWOK_MODULE_SUM, CERT_MANAGER_MODULE_SUM (h1: hashes to insist on) and
#   KWOK_MANIFEST_SHA256, CERT_MANAGER_MANIFEST_SHA256 (expected sha256 of the rendered files).
# Writes OUTDIR/kwok.yaml, OUTDIR/cert-manager.yaml, OUTDIR/images.txt; each replaced atomically.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

[[ $# -eq 1 ]] || die "usage: render-kind-manifests.sh OUTDIR"
out=$1
# Defaults: the versions the local provider is tested with.
pinned_kwok='' pinned_cm='' pinned_k8s=''
if [[ -f "$here/../tools/versions.env" ]]; then
  pinned_kwok=$(sed -n 's/^KWOK_VERSION=//p' "$here/../tools/versions.env")
  pinned_cm=$(sed -n 's/^CERT_MANAGER_VERSION=//p' "$here/../tools/versions.env")
  pinned_k8s=$(sed -n 's/^KUBERNETES_VERSION=//p' "$here/../tools/versions.env")
fi
kwok_version=${KWOK_VERSION:-$pinned_kwok}
cm_version=${CERT_MANAGER_VERSION:-$pinned_cm}
k8s_version=${KUBERNETES_VERSION:-$pinned_k8s}
[[ -n "$kwok_version" && -n "$cm_version" && -n "$k8s_version" ]] \
  || die "set KWOK_VERSION, CERT_MANAGER_VERSION and KUBERNETES_VERSION (or run from a checkout with tools/versions.env)"
helm=${HELM:-helm}
kubectl=${KUBECTL:-kubectl}
command -v "$helm" >/dev/null || die "helm not found (HELM=$helm); 40-kind.sh builds it from the Go module proxy"
command -v "$kubectl" >/dev/null || die "kubectl not found (KUBECTL=$kubectl)"
command -v go >/dev/null || die "Go is needed to fetch the KWOK and cert-manager modules"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

[[ -n "${KWOK_MODULE_SUM:-}" ]] && check_module_sum "sigs.k8s.io/kwok@$kwok_version" "$KWOK_MODULE_SUM"
[[ -n "${CERT_MANAGER_MODULE_SUM:-}" ]] && check_module_sum "github.com/cert-manager/cert-manager@$cm_version" "$CERT_MANAGER_MODULE_SUM"
kwok_src=$(go_module_dir "sigs.k8s.io/kwok@$kwok_version")
cm_src=$(go_module_dir "github.com/cert-manager/cert-manager@$cm_version")
[[ -d "$kwok_src/kustomize/kwok" ]] || die "sigs.k8s.io/kwok@$kwok_version has no kustomize/kwok"
[[ -d "$cm_src/deploy/charts/cert-manager" ]] || die "cert-manager@$cm_version has no deploy/charts/cert-manager"

# --- KWOK: the release's kustomization with the image tag the release sets.
cp -R "$kwok_src/kustomize" "$work/kustomize"
chmod -R u+w "$work/kustomize"
mkdir -p "$work/kustomize/skci"
cat > "$work/kustomize/skci/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- ../kwok
images:
- name: registry.k8s.io/kwok/kwok
  newTag: $kwok_version
EOF
{
  echo "# KWOK $kwok_version for skci's kind cluster; rendered by ami-scripts/render-kind-manifests.sh"
  "$kubectl" kustomize "$work/kustomize/skci"
} > "$work/kwok.yaml"
if ! grep -q 'enableCRDs:' "$work/kwok.yaml" || ! grep -q -- '- Stage$' "$work/kwok.yaml"; then
  die "the rendered KWOK config does not enable the Stage CRD; skci's stages would be ignored"
fi

# --- cert-manager: the chart as released (Chart.yaml from its template, CRDs as templates).
chart=$work/cert-manager
cp -R "$cm_src/deploy/charts/cert-manager" "$chart"
chmod -R u+w "$chart"
sed -e "s/^version: .*/version: $cm_version/" -e "s/^appVersion: .*/appVersion: $cm_version/" \
  "$chart/Chart.template.yaml" > "$chart/Chart.yaml"
for crd in "$cm_src"/deploy/crds/crd-*.yaml; do
  cp "$crd" "$chart/templates/$(basename "$crd")"
done
{
  echo "# cert-manager $cm_version (non-HA: one replica each, leader election off) for skci's kind cluster;"
  echo "# rendered by ami-scripts/render-kind-manifests.sh from ami-scripts/kind/cert-manager-values.yaml"
  printf -- '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: cert-manager\n'
  "$helm" template cert-manager "$chart" --namespace cert-manager --kube-version "$k8s_version" \
    --values "$here/kind/cert-manager-values.yaml"
} > "$work/cert-manager.yaml"
for component in cert-manager cert-manager-cainjector; do
  # Each Deployment's args must carry --leader-elect=false; fail loudly if the chart ignored the value.
  awk -v name="$component" '
    /^kind: /      { kind = $2 }
    /^  name: /    { if (kind == "Deployment") current = $2 }
    /--leader-elect=false/ { if (current == name) found = 1 }
    END { exit !found }' "$work/cert-manager.yaml" \
    || die "the rendered $component Deployment does not run with --leader-elect=false"
done
grep -q '^  replicas: 1$' "$work/cert-manager.yaml" || die "the rendered cert-manager has no one-replica Deployment"

# --- images both need (built locally and carried by the kind node image; nothing is pulled).
grep -hE '^[[:space:]]+image: ' "$work/kwok.yaml" "$work/cert-manager.yaml" \
  | sed -E 's/^[[:space:]]+image: *"?([^"]+)"?.*/\1/' | sort -u > "$work/images.txt"

check_sha() {
  local file=$1 expected=$2 got
  got=$(sha256sum "$file" | cut -d' ' -f1)
  [[ -z "$expected" || "$got" == "$expected" ]] && return
  die "$(basename "$file") rendered with sha256 $got, but $expected is pinned (different helm/kubectl/module, or a changed values file?)"
}
check_sha "$work/kwok.yaml" "${KWOK_MANIFEST_SHA256:-}"
check_sha "$work/cert-manager.yaml" "${CERT_MANAGER_MANIFEST_SHA256:-}"

for f in kwok.yaml cert-manager.yaml images.txt; do
  install -m 0644 "$work/$f" "$out/.$f.tmp"
  mv -f "$out/.$f.tmp" "$out/$f"
done
log "rendered into $out:"
( cd "$out" && sha256sum kwok.yaml cert-manager.yaml && sed 's/^/  image /' images.txt )
