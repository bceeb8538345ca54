#!/usr/bin/env bash
# Fault benchmark: how fast skci gets out of a broken simulation, and what an API stall costs cleanup.
#
#   scripts/bench-faults.sh [--rounds N] [--cluster NAME] [--keep]
#
# On one local cluster (booted as NAME, default bench-faults, removed at the end unless --keep), each
# round replays a 60 s trace (a Deployment of 3 pods and a ConfigMap every 2 s) at --speed 2 four
# times, interleaved, with the real CLI:
#   stop       SIGTERM to skci 5 s into the replay; time from the signal to skci's exit (143): the baseline
#   death      kill -9 of kube-scheduler 5 s into the replay; time from the kill to skci's exit (3)
#   clean      an undisturbed run; its cleanup time (the console's "cleanup N s"): the baseline
#   stall      the API server stopped (SIGSTOP) for 20 s, 5 s into the replay; the run rides it out;
#              its cleanup time
# Prints one line per run, then the medians and the ratios death/stop and stall/clean. Results and this
# command belong in docs/benchmarks.md ("Faults").
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=lib/jdk.sh
source "$root/scripts/lib/jdk.sh"
skci_find_jdk || exit 3

rounds=3 name=bench-faults keep=false
while (( $# )); do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --cluster) name=$2; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-faults: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done

"$root/scripts/build-binaries.sh" --check >/dev/null || "$root/scripts/build-binaries.sh"
echo "bench: building the runner jar" >&2
JAVA_HOME=$SKCI_JAVA_HOME mvn -q -B -f "$root/pom.xml" -pl runner -am -DskipTests package >&2
jvm=("$SKCI_JAVA_HOME/bin/java")
if (( $(skci_java_major "$SKCI_JAVA_HOME/bin/java") >= 24 )); then
  jvm+=(--sun-misc-unsafe-memory-access=allow)
fi
skci=("${jvm[@]}" -jar "$root/runner/target/skci.jar")
cluster_dir=${SKCI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/skci}/clusters/$name
work=$(mktemp -d)
cleanup() {
  [[ $keep == true ]] || "${skci[@]}" cluster down --name "$name" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The trace, written as YAML and imported with skci itself.
{
  echo "events:"
  deployment="{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: bench}, spec: {replicas: 3,
        selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}},
        spec: {containers: [{name: web, image: nginx, resources: {requests: {cpu: 100m}}}]}}}}"
  echo "  - ts: 1780000000"
  echo "    applied_objs:"
  echo "      - $deployment"
  for i in $(seq 1 29); do
    echo "  - ts: $((1780000000 + 2 * i))"
    echo "    applied_objs:"
    echo "      - {apiVersion: v1, kind: ConfigMap, metadata: {name: tick-$i, namespace: bench}, data: {i: \"$i\"}}"
  done
  echo "  - ts: 1780000060"
  echo "    deleted_objs:"
  echo "      - $deployment"
} > "$work/steady.yaml"
"${skci[@]}" trace import "$work/steady.yaml" -o "$work/steady.sktrace" >&2

"${skci[@]}" cluster up --name "$name" >/dev/null

now() { date +%s.%N; }

# one_run <kind>: prints "<seconds> <exit>" for that kind of run.
one_run() {
  local kind=$1 log=$work/run.log pid t0 t1 rc=0 p
  "${skci[@]}" run "$work/steady.sktrace" --speed 2 --name "$name" --report-dir "$work/reports" > "$log" 2>&1 &
  pid=$!
  until grep -q 'replaying$' "$log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "bench-faults: skci ended before replaying" >&2; exit 3; }
    sleep 0.1
  done
  sleep 5
  t0=$(now)
  case "$kind" in
    stop) kill -TERM "$pid" ;;
    death) kill -KILL "$(cat "$cluster_dir/kwok/clusters/$name/pids/kube-scheduler.pid")" ;;
    stall) p=$(cat "$cluster_dir/kwok/clusters/$name/pids/kube-apiserver.pid"); kill -STOP "$p"; sleep 20; kill -CONT "$p" ;;
  esac
  wait "$pid" || rc=$?
  t1=$(now)
  case "$kind" in
    stop | death) printf '%.2f %d\n' "$(echo "$t1 - $t0" | bc)" "$rc" ;;
    clean | stall) printf '%s %d\n' "$(sed -n 's/.*(cleanup \([0-9.]*\) s).*/\1/p' "$log" | tail -1)" "$rc" ;;
  esac
}

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

declare -A all
for r in $(seq 1 "$rounds"); do
  for kind in stop death clean stall; do
    read -r secs rc < <(one_run "$kind")
    printf 'round %d  %-6s %6s s  exit %d\n' "$r" "$kind" "$secs" "$rc"
    all[$kind]+="$secs "
  done
done
declare -A m
for kind in stop death clean stall; do
  m[$kind]=$(tr ' ' '\n' <<< "${all[$kind]}" | grep . | median)
done
echo
printf 'median  stop %.2f s, death %.2f s -> ratio death/stop %.2f\n' "${m[stop]}" "${m[death]}" "$(echo "${m[death]} / ${m[stop]}" | bc -l)"
printf 'median  clean cleanup %.2f s, stall cleanup %.2f s -> ratio stall/clean %.2f\n' "${m[clean]}" "${m[stall]}" \
  "$(echo "${m[stall]} / ${m[clean]}" | bc -l)"
