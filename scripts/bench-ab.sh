#!/usr/bin/env bash
# A/B benchmark: runs one benchmark alternately on another checkout (A, e.g. the last landing) and on
# this one (B), so that drift in the machine's load hits both alike, and prints each run's output.
# Both checkouts must have their jars built (scripts/bench.sh builds this one's).
#
# Usage: scripts/bench-ab.sh A_CHECKOUT ROUNDS BENCHMARK [options...]
#   e.g. git clone -q . /tmp/a && git -C /tmp/a checkout -q <commit>
#        (cd /tmp/a && mvn -q -DskipTests package) && scripts/bench-ab.sh /tmp/a 3 gates --runs 3
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/jdk.sh
source "$root/scripts/lib/jdk.sh"
skci_find_jdk || exit 3
[[ $# -ge 3 ]] || { echo "usage: scripts/bench-ab.sh A_CHECKOUT ROUNDS BENCHMARK [options...]" >&2; exit 2; }
a=$(cd "$1" && pwd); rounds=$2; shift 2
run() { # run CHECKOUT LABEL ARGS...
  local dir=$1 label=$2; shift 2
  if [[ "$1" == cluster-boot ]]; then
    shift
    (cd "$dir" && bash scripts/bench-cluster.sh "$@") 2>&1 | sed "s/^/$label: /"
  else
    (cd "$dir/benchmarks" && "$SKCI_JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -jar target/skci-benchmarks.jar \
      "$@" --dir "$dir/benchmarks/target/bench") 2>&1 | sed "s/^/$label: /"
  fi
}
for ((i = 1; i <= rounds; i++)); do
  run "$a" "A$i" "$@"
  run "$root" "B$i" "$@"
done
