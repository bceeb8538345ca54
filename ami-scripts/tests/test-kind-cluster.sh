#!/usr/bin/env bash
# Test of ami-scripts/kind-cluster.sh without Docker: `kind` and `docker` are stand-ins that record
# their calls, and the "kind cluster" is a real local skci cluster (real kube-apiserver v1.33, real
# KWOK) with one untainted KWOK node standing in for kind's control-plane node. So the manifests the
# image renders (render-kind-manifests.sh, checked against the pinned sha256s) are really applied,
# KWOK and cert-manager really roll out (as fake pods), and the script's waits, files and
# idempotency are exercised. What a stand-in cannot show: images loading into a real node, and
# cert-manager's webhook really serving; the webhook wait is tested both ways (it times out while the
# webhook cannot answer; it passes once nothing intercepts Issuers).
#
# Usage: ami-scripts/tests/test-kind-cluster.sh
# Needs: bin/skci working (JDK >= 21, binaries built), helm on PATH or $HELM (go install
# helm.sh/helm/v3/cmd/helm@v3.22.0), python3 with python-hcl2. Ends with "N passed, M failed".
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
skci=${SKCI:-$root/bin/skci}
helm=${HELM:-$(command -v helm || true)}
[[ -x "$helm" ]] || { echo "test-kind-cluster: helm not found; go install helm.sh/helm/v3/cmd/helm@v3.22.0 (or set HELM)" >&2; exit 3; }
bindir=$(bash "$root/scripts/build-binaries.sh" --print-dir)
kubectl=$bindir/kubectl

name=kindtest-$$
work=$(mktemp -d)
passed=0 failed=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then passed=$((passed + 1)); echo "PASS $what"; else failed=$((failed + 1)); echo "FAIL $what"; fi
}
cleanup() {
  [[ -n "${deleter:-}" ]] && kill "$deleter" 2>/dev/null
  "$skci" cluster down --name "$name" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- the pinned manifest checksums, from packer/variables.pkr.hcl
pin() {
  python3 - "$root/packer/variables.pkr.hcl" "$1" <<'EOF'
import sys, hcl2
for block in hcl2.load(open(sys.argv[1]))["variable"]:
    for k, v in block.items():
        if k.strip('"') == sys.argv[2] and str(v.get("default", "")).strip('"'):
            print(str(v["default"]).strip('"'))
            sys.exit(0)
sys.exit(f"no default for variable {sys.argv[2]} in {sys.argv[1]}")
EOF
}
kwok_sha=$(pin kwok_manifest_sha256)
cm_sha=$(pin cert_manager_manifest_sha256)
node_image=$(pin kind_node_image)
share=$work/share
mkdir -p "$share/kind"
render() {
  HELM=$helm KUBECTL=$kubectl KWOK_MANIFEST_SHA256=$kwok_sha CERT_MANAGER_MANIFEST_SHA256=$cm_sha \
    bash "$root/ami-scripts/render-kind-manifests.sh" "$share/kind" > "$work/render.log" 2>&1
}
check "manifests render to the pinned sha256s" render
if [[ ! -f "$share/kind/cert-manager.yaml" ]]; then
  cat "$work/render.log"
  echo "$passed passed, $failed failed"
  exit 1
fi
cp "$root/ami-scripts/kind/kind-config.yaml" "$share/kind/"
echo "$node_image" > "$share/kind/node-image"

# --- a real API server + KWOK, with one untainted KWOK node as "kind's node"
kubeconfig=$("$skci" cluster up --name "$name" 2>"$work/up.log")
k=("$kubectl" --kubeconfig "$kubeconfig")
"${k[@]}" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Node
metadata:
  name: $name-control-plane
  annotations: {kwok.x-k8s.io/node: fake}
  labels: {kubernetes.io/hostname: $name-control-plane, kubernetes.io/os: linux}
status:
  allocatable: {cpu: "8", memory: 32Gi, pods: "110"}
  capacity: {cpu: "8", memory: 32Gi, pods: "110"}
EOF

# --- stand-ins for kind and docker
mkdir -p "$work/bin" "$work/fake"
export FAKE_LOG=$work/calls.log FAKE_DIR=$work/fake FAKE_KUBECONFIG=$kubeconfig
cat > "$work/bin/kind" <<'EOF'
#!/usr/bin/env bash
echo "kind $*" >> "$FAKE_LOG"
case "$1 $2" in
  "get clusters") [[ -f "$FAKE_DIR/created" ]] && cat "$FAKE_DIR/created"; exit 0 ;;
  "create cluster") shift 2; while (( $# )); do [[ "$1" == --name ]] && echo "$2" > "$FAKE_DIR/created"; shift; done ;;
  "get kubeconfig") cat "$FAKE_KUBECONFIG" ;;
  "load docker-image") ;;
  "delete cluster") rm -f "$FAKE_DIR/created" ;;
  *) echo "stand-in kind: unexpected: $*" >&2; exit 1 ;;
esac
EOF
cat > "$work/bin/docker" <<'EOF'
#!/usr/bin/env bash
echo "docker $*" >> "$FAKE_LOG"
case "$1" in
  info) exit 0 ;;
  network) echo "172.18.0.1 fc00:f853:ccd:e793::1 " ;;
  *) echo "stand-in docker: unexpected: $*" >&2; exit 1 ;;
esac
EOF
ln -s "$kubectl" "$work/bin/kubectl"
chmod +x "$work/bin/kind" "$work/bin/docker"
kc() {  # kind-cluster.sh with the stand-ins
  PATH=$work/bin:$PATH SKCI_SHARE_DIR=$share SKCI_KIND_STATE_DIR=$work/state \
    bash "$root/ami-scripts/kind-cluster.sh" "$@"
}

# 1. cert-manager's webhook cannot answer (its pods are KWOK fakes): up must wait, then fail with 3.
rc=0
SKCI_KIND_WAIT_SECONDS=20 kc up "$name" > "$work/up1.log" 2>&1 || rc=$?
check "up fails with 3 while cert-manager's webhook cannot admit an Issuer" test "$rc" -eq 3
check "  ... and says what it waited for" grep -q "waiting for cert-manager's webhook to admit an Issuer" "$work/up1.log"
check "KWOK and cert-manager rolled out from the rendered manifests" \
  grep -q 'deployment "cert-manager-cainjector" successfully rolled out' "$work/up1.log"
check "kind created the cluster once, from the pinned node image and config" \
  test "$(grep -c "^kind create cluster --name $name --image $node_image --config $share/kind/kind-config.yaml " "$FAKE_LOG")" -eq 1
check "all four preloaded images are loaded" grep -q "^kind load docker-image --name $name quay.io/jetstack/cert-manager-cainjector:v1.11.5 quay.io/jetstack/cert-manager-controller:v1.11.5 quay.io/jetstack/cert-manager-webhook:v1.11.5 registry.k8s.io/kwok/kwok:v0.7.0$" "$FAKE_LOG"
check "cainjector and controller run with --leader-elect=false" test "$("${k[@]}" -n cert-manager get deploy cert-manager cert-manager-cainjector -o jsonpath='{.items[*].spec.template.spec.containers[0].args}' | grep -o -- '--leader-elect=false' | wc -l)" -eq 2
check "one replica each" test "$("${k[@]}" -n cert-manager get deploy -o jsonpath='{.items[*].spec.replicas}')" = "1 1 1"

# 2. With nothing intercepting Issuers (the webhook configurations removed as they appear), up passes.
( while sleep 1; do
    "${k[@]}" delete validatingwebhookconfiguration,mutatingwebhookconfiguration cert-manager-webhook --ignore-not-found >/dev/null 2>&1
  done ) &
deleter=$!
rc=0
SKCI_KIND_WAIT_SECONDS=60 kc up "$name" > "$work/up2.log" 2>&1 || rc=$?
check "up passes on an existing cluster (converges, no second create)" \
  test "$rc" -eq 0 -a "$(grep -c '^kind create cluster' "$FAKE_LOG")" -eq 1
check "  ... and says it converged" grep -q "exists; converging" "$work/up2.log"
check "env holds the kubeconfig and the IPv4 Docker gateway" \
  test "$(kc env "$name")" = "$(printf 'SKCI_KIND_KUBECONFIG=%s\nSKCI_KIND_WEBHOOK_HOST=172.18.0.1' "$work/state/$name.kubeconfig")"
check "the kubeconfig is not world-readable" test "$(stat -c %a "$work/state/$name.kubeconfig")" = 640
check "up prints the skci command to use" grep -q -- "--provider existing --kubeconfig $work/state/$name.kubeconfig --webhook-host 172.18.0.1" "$work/up2.log"
kill "$deleter"; deleter=

# 3. down removes the cluster and the state; env then fails with 3.
rc=0
kc down "$name" > "$work/down.log" 2>&1 || rc=$?
check "down deletes the cluster" test "$rc" -eq 0 -a "$(grep -c "^kind delete cluster --name $name$" "$FAKE_LOG")" -eq 1
check "down removes the state files" test ! -e "$work/state/$name.kubeconfig" -a ! -e "$work/state/$name.env"
rc=0
kc env "$name" >/dev/null 2>&1 || rc=$?
check "env after down exits 3" test "$rc" -eq 3
rc=0
kc down "$name" > "$work/down2.log" 2>&1 || rc=$?
check "a second down is a no-op" grep -q "nothing to do" "$work/down2.log"

echo "$passed passed, $failed failed"
(( failed == 0 ))
