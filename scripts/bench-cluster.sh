#!/usr/bin/env bash
# Cluster boot benchmark: how long `skci cluster up` takes until the cluster is ready (API server
# answering, every node Ready, cert-manager's controller and cainjector working), and how much memory
# the control plane then uses.
#
#   scripts/bench-cluster.sh [--runs N] [--nodes N] [--settle SECONDS]
#
# Each run boots a fresh local cluster `bench-boot-<i>` with the real CLI (a new JVM, as a user or CI
# would run it), records the wall time of `skci cluster up` and the runner's own "ready after" figure
# (which excludes JVM start-up), waits --settle seconds, sums the resident memory (VmRSS) of every
# process whose command line names the cluster's directory, and tears the cluster down. Prints one line
# per run and the medians. Results and this command belong in docs/benchmarks.md ("Cluster boot").
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=lib/jdk.sh
source "$root/scripts/lib/jdk.sh"
skci_find_jdk || exit 3

runs=5 nodes=3 settle=10
while (( $# )); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-cluster: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done

"$root/scripts/build-binaries.sh" --check >/dev/null || "$root/scripts/build-binaries.sh"
echo "bench: building the runner jar" >&2
JAVA_HOME=$SKCI_JAVA_HOME mvn -q -B -f "$root/pom.xml" -pl runner -am -DskipTests package >&2
skci=("$SKCI_JAVA_HOME/bin/java" -jar "$root/runner/target/skci.jar")
clusters=${SKCI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/skci}/clusters

# rss_of <dir>: prints "<total KiB> <component>=<KiB> ..." for the processes naming <dir>.
rss_of() {
  local dir=$1 total=0 parts=() pid cmd rss
  for pid in /proc/[0-9]*; do
    cmd=$(tr '\0' ' ' < "$pid/cmdline" 2>/dev/null) || continue
    [[ "$cmd" == *"$dir/"* ]] || continue
    rss=$(awk '/^VmRSS:/ {print $2}' "$pid/status" 2>/dev/null) || continue
    [[ -n "$rss" ]] || continue
    total=$(( total + rss ))
    parts+=("$(basename "${cmd%% *}")=$(( rss / 1024 ))MiB")
  done
  echo "$total ${parts[*]}"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

walls=() readies=() mems=()
echo "bench: $runs runs, $nodes virtual nodes, $(nproc) CPUs" >&2
for (( i = 1; i <= runs; i++ )); do
  name=bench-boot-$i
  "${skci[@]}" cluster down --name "$name" >/dev/null 2>&1 || true
  t0=$(date +%s%N)
  err=$("${skci[@]}" cluster up --name "$name" --nodes "$nodes" 2>&1 >/dev/null) || { echo "$err" >&2; exit 1; }
  t1=$(date +%s%N)
  wall=$(( (t1 - t0) / 1000000 ))
  ready=$(sed -n "s/.*is ready after \([0-9.]*\)s.*/\1/p" <<<"$err" | tail -1)
  sleep "$settle"
  read -r kib parts < <(rss_of "$clusters/$name")
  "${skci[@]}" cluster down --name "$name" >/dev/null 2>&1
  printf 'run %d: up %5.2f s wall (JVM included), ready after %s s inside the runner, control plane %d MiB: %s\n' \
    "$i" "$(bc -l <<<"$wall/1000")" "$ready" "$(( kib / 1024 ))" "$parts"
  walls+=("$wall") readies+=("$ready") mems+=("$(( kib / 1024 ))")
done
printf 'median of %d: up %.2f s wall, ready after %s s inside the runner, control plane %s MiB RSS\n' "$runs" \
  "$(printf '%s\n' "${walls[@]}" | median | awk '{print $1/1000}')" \
  "$(printf '%s\n' "${readies[@]}" | median)" \
  "$(printf '%s\n' "${mems[@]}" | median)"
