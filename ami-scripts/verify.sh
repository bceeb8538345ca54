#!/usr/bin/env bash
# Smoke test of an skci installation; the last step of the AMI build, and safe to run on a live
# instance (or a developer machine) at any time. Runs as an ordinary user, with no Docker:
#
#   1. skci --version, and the pre-built binaries are complete (build-binaries.sh --check): a run on
#      the image must never compile
#   2. skci cluster up, then skci cluster status --json must report healthy
#   3. cert-manager's controller and cainjector, kube-controller-manager and kube-scheduler run with
#      --leader-elect=false (postmortem remediation 1, generalised)
#   4. skci run TRACE --speed N --keep-cluster: the replay must pass (summary.json "passed": true)
#   5. skci cluster down, and status must then say the cluster is gone
# The cluster is removed on every exit path. Exit 0 when everything passed; otherwise the exit code
# of the first failing skci command (3 environment, 1 failed simulation, ...) or 1.
#
# Environment: SKCI (the skci command, default: skci on PATH), SKCI_VERIFY_TRACE (default
# /opt/skci/traces/cronjob.sktrace), SKCI_VERIFY_SPEED (default 10), SKCI_VERIFY_CLUSTER (default
# skci-verify: a name of its own, so it never touches a user's "skci" cluster), SKCI_VERIFY_REPORT_DIR
# (default: a temporary directory, removed after a pass and kept after a failure), SKCI_CACHE_DIR (default /opt/skci/cache when
# that exists: non-login shells do not read /etc/profile.d).
set -euo pipefail

skci=${SKCI:-skci}
trace=${SKCI_VERIFY_TRACE:-/opt/skci/traces/cronjob.sktrace}
speed=${SKCI_VERIFY_SPEED:-10}
name=${SKCI_VERIFY_CLUSTER:-skci-verify}
if [[ -z "${SKCI_CACHE_DIR:-}" && -d /opt/skci/cache ]]; then
  export SKCI_CACHE_DIR=/opt/skci/cache
fi

say() { printf 'verify: %s\n' "$*" >&2; }
step_failed() { say "FAILED: $1"; exit "${2:-1}"; }

command -v "$skci" >/dev/null || step_failed "'$skci' is not on PATH" 3
[[ -f "$trace" ]] || step_failed "trace $trace not found" 2

work=$(mktemp -d)
reports=${SKCI_VERIFY_REPORT_DIR:-$work/reports}
cluster_up=false
finish() {
  local rc=$?
  if [[ "$cluster_up" == true ]]; then
    say "removing cluster '$name' after a failure"
    "$skci" cluster down --name "$name" >&2 || say "cleanup failed; remove it with: skci cluster down --name $name"
  fi
  if (( rc == 0 )); then
    rm -rf "$work"
  else
    say "kept $work for inspection (status.json, reports/ with junit.xml, summary.json, diagnostics)"
  fi
  exit "$rc"
}
trap finish EXIT

t0=$SECONDS
say "1/5 $("$skci" --version | tr '\n' ' ')"
skci_home=$(cd "$(dirname "$(readlink -f "$(command -v "$skci")")")/.." && pwd)
if [[ -f "$skci_home/scripts/build-binaries.sh" ]]; then
  bash "$skci_home/scripts/build-binaries.sh" --check >&2 \
    || step_failed "the pinned binaries are not all pre-built in ${SKCI_CACHE_DIR:-~/.cache/skci}" 3
fi

say "2/5 skci cluster up --name $name"
cluster_up=true
kubeconfig=$("$skci" cluster up --name "$name") || step_failed "skci cluster up" $?
rc=0
"$skci" cluster status --name "$name" --json > "$work/status.json" || rc=$?
cat "$work/status.json" >&2
(( rc == 0 )) || step_failed "skci cluster status (exit $rc)" "$rc"
grep -Eq '"healthy"[[:space:]]*:[[:space:]]*true' "$work/status.json" || step_failed "cluster status does not say healthy"
[[ -f "$kubeconfig" ]] || step_failed "skci cluster up printed '$kubeconfig', which is not a file"

say "3/5 cert-manager, the controller manager and the scheduler run without leader election"
cluster_dir=$(dirname "$kubeconfig")
for component in cert-manager-controller cert-manager-cainjector kube-controller-manager kube-scheduler; do
  args=$(pgrep -a -f -- "$cluster_dir" | grep -F -- "/$component " || true)
  [[ -n "$args" ]] || step_failed "$component of cluster '$name' is not running"
  grep -q -- '--leader-elect=false' <<< "$args" || step_failed "$component runs with leader election: $args"
done

say "4/5 skci run $trace --speed $speed --keep-cluster"
rc=0
"$skci" run "$trace" --speed "$speed" --keep-cluster --cluster-name "$name" --report-dir "$reports" || rc=$?
(( rc == 0 )) || step_failed "skci run exited $rc (reports in $reports)" "$rc"
grep -Eq '"passed"[[:space:]]*:[[:space:]]*true' "$reports/summary.json" || step_failed "summary.json does not say passed"
[[ -s "$reports/junit.xml" ]] || step_failed "no junit.xml in $reports"

say "5/5 skci cluster down --name $name"
"$skci" cluster down --name "$name" >&2 || step_failed "skci cluster down" $?
cluster_up=false
rc=0
"$skci" cluster status --name "$name" >/dev/null 2>&1 || rc=$?
(( rc == 3 )) || step_failed "after down, skci cluster status exited $rc instead of 3 (missing)"

say "all checks passed in $((SECONDS - t0))s"
