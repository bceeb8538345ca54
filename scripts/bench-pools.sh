#!/usr/bin/env bash
# Node-pool boot benchmark: how long `skci cluster up` takes with N virtual nodes described as four node pools
# (labels, taints, zones, an extended resource) against the same N nodes as the quick --nodes pool, in the same
# run, and how long a pool change on the kept cluster takes (every node relabelled, a tenth removed and added).
#
#   scripts/bench-pools.sh [--nodes N] [--runs R]
#
# Each run boots a fresh local cluster `pools-bench` twice with the real CLI (a new JVM each time, as CI runs it):
# once with --nodes N (the baseline), once with --config and the pools, alternating which goes first; then, on the
# pools cluster, `skci cluster up --config` with changed pools (the reconcile of a kept cluster). Prints one line per
# run, the medians and the ratio pools/baseline. Results and this command belong in docs/benchmarks.md.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=lib/jdk.sh
source "$root/scripts/lib/jdk.sh"
skci_find_jdk || exit 3

nodes=100 runs=3
while (( $# )); do
  case "$1" in
    --nodes) nodes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-pools: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
(( nodes >= 10 )) || { echo "bench-pools: --nodes must be at least 10" >&2; exit 2; }

"$root/scripts/build-binaries.sh" --check >/dev/null || "$root/scripts/build-binaries.sh"
echo "bench: building the runner jar" >&2
JAVA_HOME=$SKCI_JAVA_HOME mvn -q -B -f "$root/pom.xml" -pl runner -am -DskipTests package >&2
skci=("$SKCI_JAVA_HOME/bin/java" -jar "$root/runner/target/skci.jar")
work=$(mktemp -d)
trap 'rm -rf "$work"; "${skci[@]}" cluster down --name pools-bench >/dev/null 2>&1 || true' EXIT

# pools <file> <team label> <general> <compute> <gpu> <spot>: four pools with these counts.
pools() {
  local general=$3 compute=$4 gpu=$5 spot=$6
  cat > "$1" <<EOF
apiVersion: skci.dev/v1alpha1
kind: Config
cluster:
  nodePools:
    - name: general
      count: $general
      capacity: {cpu: 8, memory: 32Gi, pods: 58}
      labels: {node.kubernetes.io/instance-type: m5.2xlarge, eks.amazonaws.com/nodegroup: general, team: $2}
      zones: [us-east-1a, us-east-1b, us-east-1c]
    - name: compute
      count: $compute
      capacity: {cpu: 16, memory: 32Gi, pods: 234}
      labels: {node.kubernetes.io/instance-type: c6i.4xlarge, karpenter.sh/capacity-type: on-demand, team: $2}
      zones: [us-east-1a, us-east-1b]
    - name: gpu
      count: $gpu
      capacity: {cpu: 4, memory: 16Gi, nvidia.com/gpu: 1}
      labels: {node.kubernetes.io/instance-type: g5.xlarge, team: $2}
      taints: [{key: nvidia.com/gpu, value: "true", effect: NoSchedule}]
      zones: [us-east-1a]
    - name: spot
      count: $spot
      capacity: {cpu: 16, memory: 64Gi}
      labels: {node.kubernetes.io/instance-type: m6i.4xlarge, karpenter.sh/capacity-type: spot, team: $2}
      taints: [{key: spot, value: "true", effect: PreferNoSchedule}]
      zones: [us-east-1b, us-east-1c]
EOF
}
# Half general, a quarter compute, a tenth gpu, the rest spot; the change relabels every node and moves a tenth of
# the nodes from general to spot (removed there, added here).
general=$(( nodes / 2 )) compute=$(( nodes / 4 )) gpu=$(( nodes / 10 ))
spot=$(( nodes - general - compute - gpu )) moved=$(( nodes / 10 ))
pools "$work/pools.yaml" checkout "$general" "$compute" "$gpu" "$spot"
pools "$work/changed.yaml" payments $(( general - moved )) "$compute" "$gpu" $(( spot + moved ))

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# up <args...>: boots pools-bench fresh, prints the runner's "ready after" seconds.
up() {
  "${skci[@]}" cluster down --name pools-bench >/dev/null 2>&1 || true
  local err
  err=$("${skci[@]}" cluster up --name pools-bench "$@" 2>&1 >/dev/null) || { echo "$err" >&2; exit 1; }
  sed -n "s/.*is ready after \([0-9.]*\)s.*/\1/p" <<<"$err" | tail -1
}

# ms <command...>: wall milliseconds of a command.
ms() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "bench-pools: failed: $*" >&2; exit 1; }
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}

base=() pooled=() changes=()
echo "bench: $runs runs, $nodes virtual nodes, $(nproc) CPUs" >&2
for (( i = 1; i <= runs; i++ )); do
  if (( i % 2 )); then
    b=$(up --nodes "$nodes"); p=$(up --config "$work/pools.yaml")
  else
    p=$(up --config "$work/pools.yaml"); b=$(up --nodes "$nodes")
    up --config "$work/pools.yaml" >/dev/null
  fi
  c=$(ms "${skci[@]}" cluster up --name pools-bench --config "$work/changed.yaml")
  printf 'run %d: ready after %s s with --nodes %d, %s s with 4 pools; pool change on the kept cluster %.2f s (JVM included)\n' \
    "$i" "$b" "$nodes" "$p" "$(bc -l <<<"$c/1000")"
  base+=("$b") pooled+=("$p") changes+=("$c")
done
mb=$(printf '%s\n' "${base[@]}" | median)
mp=$(printf '%s\n' "${pooled[@]}" | median)
mc=$(printf '%s\n' "${changes[@]}" | median)
printf 'median of %d: ready after %s s (--nodes %d) vs %s s (4 pools): ratio %.2f; pool change %.2f s\n' "$runs" "$mb" "$nodes" "$mp" \
  "$(bc -l <<<"$mp/$mb")" "$(bc -l <<<"$mc/1000")"
