#!/usr/bin/env bash
# Soak of one trace on one cluster kind: boots a cluster (kind: ami-scripts/kind-cluster.sh up from
# skci's node image; local: skci cluster up), runs `skci run TRACE --speed 10 --provider existing` on it
# N times in a row, prints each run's exit code and wall time (summary.json) and the pass count, and
# tears the cluster down. Both cluster kinds go through the same provider, so the figures compare the
# clusters, not the providers. The result belongs in docs/benchmarks.md ("kind vs local").
#
#   scripts/soak-cronjob.sh kind|local [--runs N] [--trace FILE]
# Needs for kind: a Docker engine and the node image (scripts/stages/kind.sh prepares both).
# Run it under flock /tmp/skci-cluster.lock on shared machines.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
skci=${SKCI:-$root/bin/skci}
[[ $# -ge 1 && ( "$1" == kind || "$1" == local ) ]] || { echo "usage: scripts/soak-cronjob.sh kind|local [--runs N] [--trace FILE]" >&2; exit 2; }
what=$1
shift
runs=10 trace=$root/traces/cronjob.sktrace
[[ -f "$root/../shared/traces/cronjob.sktrace" ]] && trace=$root/../shared/traces/cronjob.sktrace
while (( $# )); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --trace) trace=$2; shift 2 ;;
    *) echo "soak-cronjob: unknown option '$1'" >&2; exit 2 ;;
  esac
done
kind_bin=$(bash "$root/scripts/kind/build-binaries.sh" --print-dir)
cp_bin=$(bash "$root/scripts/build-binaries.sh" --print-dir)
export PATH=$kind_bin:$cp_bin:$PATH
work=$(mktemp -d)
name='skci-kind-test'
if [[ "$what" == kind ]]; then
  share=$(bash "$root/scripts/kind/share-dir.sh")
  kc() { SKCI_SHARE_DIR=$share SKCI_KIND_STATE_DIR=$work/state bash "$root/ami-scripts/kind-cluster.sh" "$@"; }
  trap 'kc down "$name" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
  kc up "$name" > "$work/up.log" 2>&1 || { tail -20 "$work/up.log" >&2; exit 3; }
  # shellcheck disable=SC1090
  source "$work/state/$name.env"
  kubeconfig=$SKCI_KIND_KUBECONFIG host=$SKCI_KIND_WEBHOOK_HOST
else
  name=soak-local
  trap '"$skci" cluster down --name "$name" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
  kubeconfig=$("$skci" cluster up --name "$name" 2>"$work/up.log") || { tail -20 "$work/up.log" >&2; exit 3; }
  host=127.0.0.1
fi
trap 'exit 143' TERM INT

pass=0 walls=()
for (( i = 1; i <= runs; i++ )); do
  rc=0
  (cd "$work" && "$skci" run "$trace" --speed 10 --provider existing --kubeconfig "$kubeconfig" \
     --webhook-host "$host" --report-dir "$work/r$i" > "$work/run$i.log" 2>&1) || rc=$?
  wall=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["simulations"][0]["wallSeconds"])' \
    "$work/r$i/summary.json" 2>/dev/null || echo "-")
  (( rc == 0 )) && pass=$((pass + 1))
  (( rc == 0 )) || tail -5 "$work/run$i.log" | sed 's/^/    /'
  walls+=("$wall")
  printf 'run %2d: exit %d, wall %s s\n' "$i" "$rc" "$wall"
done
printf '%s: %d of %d passed; wall min/median/max %s s\n' "$what" "$pass" "$runs" \
  "$(printf '%s\n' "${walls[@]}" | grep -v '^-$' | sort -n | awk '{a[NR]=$1} END {if (NR) printf "%s/%s/%s", a[1], (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[NR]}')"
(( pass == runs ))
