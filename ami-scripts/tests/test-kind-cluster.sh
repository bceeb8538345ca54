#!/usr/bin/env bash
# The machine image's kind path, for real: ami-scripts/kind-cluster.sh up|env|down and the
# skci-kind.service flow against a real Docker engine and real kind, from skci's offline node image
# (scripts/kind/build-node-image.sh) and the manifests the image renders (scripts/kind/share-dir.sh
# prepares what 40-kind.sh puts in $SKCI_SHARE_DIR/kind). No stand-ins. Then skci itself on that
# cluster: `--provider kind` adopting it (the CronJob trace; the API server in the node container
# reaches skci's webhook at the Docker network's gateway) and `--provider existing` (the bare-pod trace).
#
# Usage: ami-scripts/tests/test-kind-cluster.sh      (scripts/stages/kind.sh runs it)
# Needs: a Docker engine that starts privileged containers (scripts/docker-engine.sh up), the node
# image and share directory built, bin/skci working (or $SKCI). Uses the kind cluster name
# $SKCI_KIND_TEST_NAME (default skci-kind-test) and deletes it at the end. Run it under
# flock /tmp/skci-cluster.lock on shared machines. Ends with "N passed, M failed".
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
skci=${SKCI:-$root/bin/skci}
name=${SKCI_KIND_TEST_NAME:-skci-kind-test}
kind_bin=$(bash "$root/scripts/kind/build-binaries.sh" --print-dir)
cp_bin=$(bash "$root/scripts/build-binaries.sh" --print-dir)
share=$(bash "$root/scripts/kind/share-dir.sh")
export PATH=$kind_bin:$cp_bin:$PATH
trace_cronjob=${SKCI_TEST_CRONJOB_TRACE:-$root/traces/cronjob.sktrace}
[[ -f "$root/../shared/traces/cronjob.sktrace" ]] && trace_cronjob=${SKCI_TEST_CRONJOB_TRACE:-$root/../shared/traces/cronjob.sktrace}

work=$(mktemp -d)
passed=0 failed=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then passed=$((passed + 1)); echo "PASS $what"; else failed=$((failed + 1)); echo "FAIL $what"; fi
}
cleanup() {
  kind delete cluster --name "$name" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
kc() {  # kind-cluster.sh with this machine's share directory and a private state directory
  SKCI_SHARE_DIR=$share SKCI_KIND_STATE_DIR=$work/state bash "$root/ami-scripts/kind-cluster.sh" "$@"
}
pin() {  # pin VARIABLE : its default in packer/variables.pkr.hcl
  sed -n "/^variable \"$1\"/,/^}/s/^ *default *= *\"\\(.*\\)\"/\\1/p" "$root/packer/variables.pkr.hcl"
}
same() { [[ "$1" == "$2" ]] || { echo "  expected '$2', got '$1'"; return 1; }; }

# --- the manifests are the image's (pinned sha256s), the node image is the offline one
check "kwok.yaml is the pinned rendering" same "$(sha256sum "$share/kind/kwok.yaml" | cut -d' ' -f1)" "$(pin kwok_manifest_sha256)"
check "cert-manager.yaml is the pinned rendering" same "$(sha256sum "$share/kind/cert-manager.yaml" | cut -d' ' -f1)" "$(pin cert_manager_manifest_sha256)"
check "the node image is skci's offline image" same "$(cat "$share/kind/node-image")" "$(bash "$root/scripts/kind/build-node-image.sh" --print-image)"

# --- 1. up creates the cluster
t=$SECONDS
rc=0
kc up "$name" > "$work/up1.log" 2>&1 || rc=$?
up_seconds=$((SECONDS - t))
check "up creates the cluster and exits 0 (${up_seconds}s)" test "$rc" -eq 0
if (( rc != 0 )); then tail -30 "$work/up1.log"; echo "$passed passed, $failed failed"; exit 1; fi
kubeconfig=$work/state/$name.kubeconfig
k=(kubectl --kubeconfig "$kubeconfig")
gateway=$(docker network inspect kind --format '{{range .IPAM.Config}}{{.Gateway}} {{end}}' | tr ' ' '\n' | grep -E '^[0-9]+(\.[0-9]+){3}$' | head -1)
check "env holds the kubeconfig and the kind network's IPv4 gateway ($gateway)" \
  same "$(kc env "$name")" "$(printf 'SKCI_KIND_KUBECONFIG=%s\nSKCI_KIND_WEBHOOK_HOST=%s' "$kubeconfig" "$gateway")"
check "the kubeconfig is not world-readable" same "$(stat -c %a "$kubeconfig")" 640
check "the preloaded images were found in the node, not loaded again" \
  test "$(grep -c 'found to be already present on all nodes' "$work/up1.log")" -eq 4
check "nothing was pulled (no Pulling event)" same "$("${k[@]}" get events -A --field-selector reason=Pulling -o name | wc -l)" 0
check "every pod runs (control plane, CoreDNS, kube-proxy, KWOK, cert-manager)" \
  same "$("${k[@]}" get pods -A --field-selector status.phase!=Running -o name | wc -l)" 0
# A pod resolves a Service name through CoreDNS (the kube-proxy image has getent; nothing is pulled).
dns_probe() {
  "${k[@]}" run skci-dns-probe --image="registry.k8s.io/kube-proxy:$(sed -n 's/^KUBERNETES_VERSION=//p' "$root/tools/versions.env")" \
    --image-pull-policy=Never --restart=Never --command -- getent hosts kubernetes.default.svc.cluster.local >/dev/null \
    && "${k[@]}" wait --for=jsonpath='{.status.phase}'=Succeeded pod/skci-dns-probe --timeout=60s >/dev/null
  local rc=$?
  "${k[@]}" delete pod skci-dns-probe --wait=false >/dev/null 2>&1
  return $rc
}
check "a pod resolves kubernetes.default.svc.cluster.local through CoreDNS" dns_probe
cm_flags() { "${k[@]}" -n kube-system get pod "$1-$name-control-plane" -o jsonpath='{.spec.containers[0].command}'; }
for c in kube-controller-manager kube-scheduler; do
  check "$c runs with --leader-elect=false and no client QPS limit" \
    grep -q -- '"--kube-api-burst=10000","--kube-api-qps=5000","--leader-elect=false"' <<< "$(cm_flags "$c")"
done
check "kube-controller-manager keeps nodes Ready through an API stall (--node-monitor-grace-period=1h)" \
  grep -q -- '--node-monitor-grace-period=1h' <<< "$(cm_flags kube-controller-manager)"
check "cert-manager's controller and cainjector run with --leader-elect=false" \
  same "$("${k[@]}" -n cert-manager get deploy cert-manager cert-manager-cainjector -o jsonpath='{.items[*].spec.template.spec.containers[0].args}' | grep -o -- '--leader-elect=false' | wc -l)" 2
check "one replica each of KWOK and cert-manager" \
  same "$("${k[@]}" get deploy -n kube-system kwok-controller -o jsonpath='{.spec.replicas}') $("${k[@]}" -n cert-manager get deploy -o jsonpath='{.items[*].spec.replicas}')" "1 1 1 1"

# --- 2. a second up converges
rc=0
kc up "$name" > "$work/up2.log" 2>&1 || rc=$?
check "a second up converges (no second cluster)" test "$rc" -eq 0 -a "$(kind get clusters 2>/dev/null | grep -cx "$name")" -eq 1
check "  ... and says so" grep -q "exists; converging" "$work/up2.log"

# --- 3. skci on it: `--provider kind` adopts the cluster kind-cluster.sh made (as jobs on the image adopt
# the one skci-kind.service makes at boot) and leaves it running; `--provider existing` with the values
# env prints works too. (The CronJob, bare-pod and cainjector-late cases on kind, and --provider kind
# booting its own cluster, are the Java suite's: scripts/stages/kind.sh runs it first.)
run_skci() {  # run_skci LOG TRACE PROVIDER-FLAGS... : skci run on the kind cluster, returns its exit code
  local log=$1 trace=$2
  shift 2
  local rc=0
  (cd "$work" && SKCI_KIND_SHARE_DIR=$share "$skci" run "$trace" --speed 10 "$@" \
     --report-dir "$work/reports-$(basename "$log" .log)") > "$work/$log" 2>&1 || rc=$?
  return $rc
}
rc=0; t=$SECONDS
run_skci cronjob.log "$trace_cronjob" --provider kind --name "$name" || rc=$?
check "skci run --provider kind of the CronJob trace passes on that cluster ($((SECONDS - t))s)" test "$rc" -eq 0
(( rc == 0 )) || tail -15 "$work/cronjob.log"
check "  ... adopting it (not creating one)" grep -q "kind cluster '$name' is already running; adopting it" "$work/cronjob.log"
check "  ... the webhook mutated a dry-run pod sent by the API server in the node container" \
  grep -q 'gate probe *passed' "$work/cronjob.log"
check "  ... and left it running" test "$(kind get clusters 2>/dev/null | grep -cx "$name")" -eq 1
check "  ... with kube-proxy off the virtual nodes" \
  same "$("${k[@]}" -n kube-system get pods -l k8s-app=kube-proxy -o jsonpath='{.items[*].spec.nodeName}' | tr ' ' '\n' | grep -c '^skci-virtual-' || true)" 0
rc=0; t=$SECONDS
run_skci bare-pods.log "$root/traces/bare-pods.sktrace" --provider existing --kubeconfig "$kubeconfig" --webhook-host "$gateway" || rc=$?
check "skci run --provider existing with the values env prints passes (bare-pod trace, $((SECONDS - t))s)" test "$rc" -eq 0
(( rc == 0 )) || tail -15 "$work/bare-pods.log"

# --- 4. down removes the cluster and the state
rc=0
kc down "$name" > "$work/down.log" 2>&1 || rc=$?
check "down deletes the cluster" test "$rc" -eq 0 -a "$(kind get clusters 2>/dev/null | grep -cx "$name" || true)" -eq 0
check "down removes the state files" test ! -e "$kubeconfig" -a ! -e "$work/state/$name.env"
rc=0
kc env "$name" >/dev/null 2>&1 || rc=$?
check "env after down exits 3" test "$rc" -eq 3
kc down "$name" > "$work/down2.log" 2>&1
check "a second down is a no-op" grep -q "nothing to do" "$work/down2.log"

# --- 5. skci-kind.service: the unit as 40-kind.sh installs it, its start and stop commands run the
# way systemd runs them (its Environment= only, as root); this VM has no systemd as PID 1. The test
# adds SKCI_KIND_NAME (its own cluster name), SKCI_KIND_STATE_DIR and SKCI_SHARE_DIR (this machine's
# build instead of /opt/skci/share).
unit=$work/skci-kind.service
sed "s|@SKCI_PREFIX@|$root|g; s|@SKCI_SHARE_DIR@|$share|g" "$root/ami-scripts/kind/skci-kind.service" > "$unit"
if command -v systemd-analyze >/dev/null; then
  # Requires=docker.service names a unit this machine does not have; that is the only warning allowed.
  check "systemd-analyze verify accepts the unit" \
    bash -c "systemd-analyze verify '$unit' 2>&1 | grep -v -e 'docker.service' -e '^$' | { ! grep .; }"
fi
unit_env=()
while IFS= read -r line; do unit_env+=("${line#Environment=}"); done < <(grep '^Environment=' "$unit")
unit_cmd() { sed -n "s/^$1=//p" "$unit"; }
service() {  # service START|STOP : the unit's command, with the unit's environment only
  local cmd
  read -r -a cmd <<< "$(unit_cmd "Exec$1")"
  env -i PATH="$PATH" HOME=/root "${unit_env[@]}" SKCI_KIND_NAME="$name" SKCI_KIND_STATE_DIR="$work/service-state" \
    SKCI_SHARE_DIR="$share" "${cmd[@]}"
}
rc=0; t=$SECONDS
service Start > "$work/service-start.log" 2>&1 || rc=$?
check "skci-kind.service ExecStart creates the cluster ($((SECONDS - t))s)" test "$rc" -eq 0 -a -f "$work/service-state/$name.env"
(( rc == 0 )) || tail -20 "$work/service-start.log"
check "  ... and its kubeconfig reaches a Ready node" \
  grep -q ' Ready ' <<< "$(kubectl --kubeconfig "$work/service-state/$name.kubeconfig" get nodes --no-headers 2>&1)"
rc=0
service Stop > "$work/service-stop.log" 2>&1 || rc=$?
check "skci-kind.service ExecStop deletes it" test "$rc" -eq 0 -a "$(kind get clusters 2>/dev/null | grep -cx "$name" || true)" -eq 0

echo "$passed passed, $failed failed"
(( failed == 0 ))
