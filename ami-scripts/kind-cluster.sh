#!/usr/bin/env bash
# Creates, describes or deletes skci's kind simulation cluster on an instance of the skci AMI: a kind
# cluster from skci's offline node image (scripts/kind/build-node-image.sh) running KWOK and a non-HA
# cert-manager, from the manifests and image name that ami-scripts/40-kind.sh put in
# $SKCI_SHARE_DIR/kind (scripts/kind/share-dir.sh makes the same directory on a test machine). skci-kind.service runs
# `up` at boot when enabled; a user in the docker group can run it too.
#
# Usage: kind-cluster.sh up|down|env [NAME]        (NAME defaults to $SKCI_KIND_NAME, else "skci")
#   up    create the cluster if it does not exist, load the images, apply KWOK and cert-manager, wait
#         until KWOK runs and cert-manager's webhook answers, then write NAME.kubeconfig and NAME.env
#         (SKCI_KIND_KUBECONFIG, SKCI_KIND_WEBHOOK_HOST) into the state directory. Idempotent.
#   down  delete the cluster and its state files. Idempotent.
#   env   print NAME.env (exit 3 when the cluster was not set up).
# State directory: $SKCI_KIND_STATE_DIR, else /var/lib/skci/kind for root, else
# ${XDG_STATE_HOME:-~/.local/state}/skci/kind. Exit codes follow skci's: 2 usage, 3 environment.
set -euo pipefail

: "${SKCI_PREFIX:=/opt/skci}"
: "${SKCI_SHARE_DIR:=$SKCI_PREFIX/share}"
: "${SKCI_GROUP:=skci}"
kind_share=$SKCI_SHARE_DIR/kind
if [[ -z "${SKCI_KIND_STATE_DIR:-}" ]]; then
  if [[ $(id -u) -eq 0 ]]; then SKCI_KIND_STATE_DIR=/var/lib/skci/kind
  else SKCI_KIND_STATE_DIR=${XDG_STATE_HOME:-$HOME/.local/state}/skci/kind; fi
fi
wait_seconds=${SKCI_KIND_WAIT_SECONDS:-300}

say() { printf "skci-kind: [+%ss] %s\n" "$SECONDS" "$*" >&2; }
fail() { say "$1"; exit "${2:-3}"; }

usage() { fail "usage: kind-cluster.sh up|down|env [NAME]" 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
action=$1
name=${2:-${SKCI_KIND_NAME:-skci}}
[[ "$name" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || fail "invalid cluster name '$name' (lower-case letters, digits, '-')" 2
kubeconfig=$SKCI_KIND_STATE_DIR/$name.kubeconfig
envfile=$SKCI_KIND_STATE_DIR/$name.env

exists() { kind get clusters 2>/dev/null | grep -qx "$name"; }

# The IPv4 gateway of kind's Docker network: where the API server (in the node container) reaches
# a server skci starts on this host.
docker_gateway() {
  docker network inspect kind --format '{{range .IPAM.Config}}{{.Gateway}} {{end}}' \
    | tr ' ' '\n' | grep -E '^[0-9]+(\.[0-9]+){3}$' | head -1
}

# kind_config : prints the kind config to create the cluster with. Where this host's capability
# bounding set lacks CAP_SYS_RESOURCE (the test VMs; not EC2), no process may lower its oom_score_adj,
# so runc fails every pod whose spec asks for a negative one (kubelet gives static pods -997) with
# "can't get final child's PID from pipe". containerd's restrict_oom_score_adj (what rootless kind
# uses) then clamps pods to containerd's own score instead; elsewhere the config is used as it is.
kind_config() {
  local capbnd
  capbnd=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
  cat "$kind_share/kind-config.yaml"
  if [[ -n "$capbnd" ]] && (( ((16#$capbnd) >> 24 & 1) == 0 )); then
    say "this host cannot grant CAP_SYS_RESOURCE; containerd in the node will restrict oom_score_adj"
    printf '%s\n' 'containerdConfigPatches:' '  - |' '    [plugins."io.containerd.grpc.v1.cri"]' \
      '      restrict_oom_score_adj = true'
  fi
}

# wait_until DESCRIPTION COMMAND... : retry until COMMAND succeeds or $wait_seconds pass.
wait_until() {
  local what=$1 deadline=$((SECONDS + wait_seconds))
  shift
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || fail "timed out after ${wait_seconds}s waiting for $what"
    sleep 3
  done
}

up() {
  for f in kwok.yaml cert-manager.yaml images.txt kind-config.yaml node-image; do
    [[ -f "$kind_share/$f" ]] || fail "$kind_share/$f is missing; this instance was not built with ami-scripts/40-kind.sh"
  done
  command -v kind >/dev/null || fail "kind is not installed"
  command -v kubectl >/dev/null || fail "kubectl is not installed"
  docker info >/dev/null 2>&1 || fail "the Docker daemon is not reachable (is docker.service running, and are you in the docker group?)"
  mkdir -p "$SKCI_KIND_STATE_DIR"

  local node_image
  node_image=$(cat "$kind_share/node-image")
  # kind would try to pull a missing node image, and no registry has skci's.
  docker image inspect "$node_image" >/dev/null 2>&1 \
    || fail "node image $node_image is not in Docker; build it (scripts/kind/build-node-image.sh, or AMI step 40-kind.sh)"
  if exists; then
    say "kind cluster '$name' exists; converging it"
  else
    say "creating kind cluster '$name' ($node_image)"
    kind_config > "$SKCI_KIND_STATE_DIR/$name.kind-config.yaml"
    kind create cluster --name "$name" --image "$node_image" \
      --config "$SKCI_KIND_STATE_DIR/$name.kind-config.yaml" --kubeconfig "$kubeconfig.tmp" --wait 120s \
      || fail "kind could not create cluster '$name'; see the output above"
    rm -f "$kubeconfig.tmp" "$SKCI_KIND_STATE_DIR/$name.kind-config.yaml"
  fi
  kind get kubeconfig --name "$name" > "$kubeconfig.tmp"
  chmod 0640 "$kubeconfig.tmp"
  if getent group "$SKCI_GROUP" >/dev/null; then chgrp "$SKCI_GROUP" "$kubeconfig.tmp" 2>/dev/null || true; fi
  mv -f "$kubeconfig.tmp" "$kubeconfig"
  local k=(kubectl --kubeconfig "$kubeconfig")

  say "cluster up; loading images"
  # The node image already carries these images (kind then says "already present"); loading them
  # anyway covers a node image built without them. Nothing is ever pulled.
  local images=()
  mapfile -t images < <(grep -v '^[[:space:]]*$' "$kind_share/images.txt")
  if (( ${#images[@]} > 0 )); then
    kind load docker-image --name "$name" "${images[@]}" || fail "could not load the images into '$name'"
  fi

  # kube-proxy is a DaemonSet that tolerates every taint, so it would land (as a KWOK-faked pod) on
  # every virtual node and take a pod slot there; simulated nodes carry only simulated pods.
  "${k[@]}" -n kube-system patch daemonset kube-proxy --type merge -p \
    '{"spec":{"template":{"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"type","operator":"NotIn","values":["virtual"]}]}]}}}}}}}' \
    >/dev/null || fail "could not keep kube-proxy off skci's virtual nodes"

  say "applying KWOK and cert-manager"
  "${k[@]}" apply --server-side --force-conflicts -f "$kind_share/kwok.yaml" >/dev/null
  "${k[@]}" apply --server-side --force-conflicts -f "$kind_share/cert-manager.yaml" >/dev/null
  "${k[@]}" -n kube-system rollout status deployment/kwok-controller --timeout="${wait_seconds}s" >&2 \
    || fail "KWOK's controller did not become available in ${wait_seconds}s"
  local d
  for d in cert-manager cert-manager-cainjector cert-manager-webhook; do
    "${k[@]}" -n cert-manager rollout status "deployment/$d" --timeout="${wait_seconds}s" >&2 \
      || fail "deployment $d did not become available in ${wait_seconds}s"
  done
  say "KWOK and cert-manager rolled out; waiting for cert-manager's webhook"
  # cert-manager's webhook has to answer (with the CA the cainjector injected) before skci can create
  # its Issuers; a server-side dry run goes through it.
  probe=$(mktemp)
  trap 'rm -f "$probe"' EXIT
  printf '%s\n' 'apiVersion: cert-manager.io/v1' 'kind: Issuer' \
    'metadata: {name: skci-kind-probe, namespace: cert-manager}' 'spec: {selfSigned: {}}' > "$probe"
  wait_until "cert-manager's webhook to admit an Issuer" "${k[@]}" apply --dry-run=server -f "$probe"

  local gateway
  gateway=$(docker_gateway)
  [[ -n "$gateway" ]] || fail "could not find the IPv4 gateway of Docker network 'kind'"
  printf 'SKCI_KIND_KUBECONFIG=%s\nSKCI_KIND_WEBHOOK_HOST=%s\n' "$kubeconfig" "$gateway" > "$envfile.tmp"
  chmod 0644 "$envfile.tmp"
  mv -f "$envfile.tmp" "$envfile"
  say "kind cluster '$name' is ready. Use it with:"
  say "  skci run TRACE --provider existing --kubeconfig $kubeconfig --webhook-host $gateway"
}

down() {
  if command -v kind >/dev/null && exists; then
    kind delete cluster --name "$name" || fail "kind could not delete cluster '$name'"
  else
    say "no kind cluster named '$name' (nothing to do)"
  fi
  rm -f "$kubeconfig" "$envfile"
}

case "$action" in
  up) up ;;
  down) down ;;
  env) [[ -f "$envfile" ]] || fail "no state for kind cluster '$name' in $SKCI_KIND_STATE_DIR; run 'kind-cluster.sh up $name'"
       cat "$envfile" ;;
  *) usage ;;
esac
