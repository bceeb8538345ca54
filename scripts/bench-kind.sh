#!/usr/bin/env bash
# kind vs local benchmark, paired rounds in one run: for each round, first a local cluster, then a
# kind cluster from skci's offline node image, each measured the same way:
#
#   boot     wall time until the cluster is ready with KWOK and cert-manager:
#              local  `skci cluster up` (API server, KWOK, cert-manager controller + cainjector working,
#                     skci's 3 virtual nodes and the decoy Ready)
#              kind   `ami-scripts/kind-cluster.sh up` (kind create, KWOK and cert-manager rolled out,
#                     cert-manager's webhook admitting an Issuer); skci's nodes come with the first run
#   memory   --settle seconds after ready: the sum of VmRSS of the cluster's processes (local: every
#            process naming the cluster directory; kind: every process in the node container's
#            cgroup, i.e. systemd, containerd, kubelet, the control plane, KWOK, cert-manager, CoreDNS,
#            kube-proxy), and for kind also the container's cgroup memory usage (docker stats, page
#            cache included)
#   trace    `skci run TRACE --speed 10 --provider existing` on that cluster (the same code path on
#            both; local with --webhook-host 127.0.0.1, kind with the Docker gateway), its wall time
#            from summary.json
# then tears both down. Prints one line per round, the medians and the kind/local ratios (median of the
# per-round ratios). Figures and this command belong in docs/benchmarks.md ("kind vs local").
#
#   scripts/bench-kind.sh [--rounds N] [--settle SECONDS] [--trace FILE]
# Needs: a Docker engine (scripts/docker-engine.sh up), the node image (scripts/kind/build-node-image.sh),
# bin/skci (or $SKCI). Run it under flock /tmp/skci-cluster.lock on shared machines.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
skci=${SKCI:-$root/bin/skci}
rounds=3 settle=10 trace=$root/traces/cronjob.sktrace
[[ -f "$root/../shared/traces/cronjob.sktrace" ]] && trace=$root/../shared/traces/cronjob.sktrace
while (( $# )); do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --trace) trace=$2; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-kind: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
kind_bin=$(bash "$root/scripts/kind/build-binaries.sh" --print-dir)
cp_bin=$(bash "$root/scripts/build-binaries.sh" --print-dir)
share=$(bash "$root/scripts/kind/share-dir.sh")
export PATH=$kind_bin:$cp_bin:$PATH
clusters=${SKCI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/skci}/clusters
work=$(mktemp -d)
local_name=bench-local kind_name=skci-kind-dev
cleanup() {
  "$skci" cluster down --name "$local_name" >/dev/null 2>&1 || true
  kind delete cluster --name "$kind_name" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 143" TERM INT

ms() { echo $(( $(date +%s%N) / 1000000 )); }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || true; }
local_rss() {  # KiB of every process naming the local cluster's directory
  local total=0 pid cmd r
  for pid in /proc/[0-9]*; do
    cmd=$(tr '\0' ' ' < "$pid/cmdline" 2>/dev/null) || continue
    [[ "$cmd" == *"$clusters/$local_name/"* ]] || continue
    r=$(rss_kib "${pid#/proc/}"); total=$(( total + ${r:-0} ))
  done
  echo "$total"
}
kind_rss() {  # KiB of every process in the node container's cgroup (found from the host's /proc)
  local id total=0 pid r
  id=$(docker inspect --format '{{.Id}}' "$kind_name-control-plane")
  for pid in /proc/[0-9]*; do
    grep -q "$id" "$pid/cgroup" 2>/dev/null || continue
    r=$(rss_kib "${pid#/proc/}"); total=$(( total + ${r:-0} ))
  done
  echo "$total"
}
kind_cgroup_mib() {
  docker stats --no-stream --format '{{.MemUsage}}' "$kind_name-control-plane" | awk '{
    v=$1; u=v; sub(/[0-9.]+/, "", u); sub(/[A-Za-z]+/, "", v)
    f = (u=="GiB") ? 1024 : (u=="MiB") ? 1 : (u=="KiB") ? 1/1024 : 1/1048576; printf "%d", v*f }'
}
run_trace() {  # run_trace KUBECONFIG HOST DIR : the run's wall seconds from summary.json
  (cd "$work" && "$skci" run "$trace" --speed 10 --provider existing --kubeconfig "$1" --webhook-host "$2" \
     --report-dir "$3" > "$3.log" 2>&1) || { tail -5 "$3.log" >&2; echo "bench-kind: the trace run failed ($3.log)" >&2; exit 1; }
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["simulations"][0]["wallSeconds"])' "$3/summary.json"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

declare -a lb kb lr kr kc lt kt
echo "bench-kind: $rounds rounds, settle ${settle}s, trace $(basename "$trace"), $(nproc) CPUs, $(bash "$root/scripts/kind/build-node-image.sh" --print-image)" >&2
for (( i = 1; i <= rounds; i++ )); do
  "$skci" cluster down --name "$local_name" >/dev/null 2>&1 || true
  t=$(ms)
  kubeconfig=$("$skci" cluster up --name "$local_name" 2>"$work/local-up.log") || { cat "$work/local-up.log" >&2; exit 1; }
  lb[i]=$(( $(ms) - t ))
  sleep "$settle"; lr[i]=$(( $(local_rss) / 1024 ))
  lt[i]=$(run_trace "$kubeconfig" 127.0.0.1 "$work/local-$i")
  "$skci" cluster down --name "$local_name" >/dev/null 2>&1

  kind delete cluster --name "$kind_name" >/dev/null 2>&1 || true
  t=$(ms)
  SKCI_SHARE_DIR=$share SKCI_KIND_STATE_DIR=$work/state bash "$root/ami-scripts/kind-cluster.sh" up "$kind_name" \
    > "$work/kind-up.log" 2>&1 || { tail -20 "$work/kind-up.log" >&2; exit 1; }
  kb[i]=$(( $(ms) - t ))
  sleep "$settle"; kr[i]=$(( $(kind_rss) / 1024 )); kc[i]=$(kind_cgroup_mib)
  # shellcheck disable=SC1090
  source "$work/state/$kind_name.env"
  kt[i]=$(run_trace "$SKCI_KIND_KUBECONFIG" "$SKCI_KIND_WEBHOOK_HOST" "$work/kind-$i")
  kind delete cluster --name "$kind_name" >/dev/null 2>&1

  printf 'round %d: boot local %.1f s, kind %.1f s (x%.2f); RSS local %d MiB, kind %d MiB (cgroup %d MiB); trace local %.1f s, kind %.1f s\n' \
    "$i" "$(bc -l <<<"${lb[i]}/1000")" "$(bc -l <<<"${kb[i]}/1000")" "$(bc -l <<<"${kb[i]}/${lb[i]}")" \
    "${lr[i]}" "${kr[i]}" "${kc[i]}" "${lt[i]}" "${kt[i]}"
done
ratio() {  # ratio A B : median over rounds of A[i]/B[i]
  local -n a=$1 b=$2
  for (( i = 1; i <= rounds; i++ )); do bc -l <<<"${a[i]}/${b[i]}"; done | median
}
printf 'median of %d rounds: boot local %.1f s, kind %.1f s; RSS local %d MiB, kind %d MiB (node cgroup %d MiB); trace wall local %.1f s, kind %.1f s\n' \
  "$rounds" "$(printf '%s\n' "${lb[@]}" | median | awk '{print $1/1000}')" "$(printf '%s\n' "${kb[@]}" | median | awk '{print $1/1000}')" \
  "$(printf '%s\n' "${lr[@]}" | median)" "$(printf '%s\n' "${kr[@]}" | median)" "$(printf '%s\n' "${kc[@]}" | median)" \
  "$(printf '%s\n' "${lt[@]}" | median)" "$(printf '%s\n' "${kt[@]}" | median)"
printf 'kind/local (median of per-round ratios): boot x%.2f, RSS x%.2f, trace wall x%.2f\n' \
  "$(ratio kb lb)" "$(ratio kr lr)" "$(ratio kt lt)"
