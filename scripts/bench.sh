#!/usr/bin/env bash
# Runs one of skci's benchmarks: scripts/bench.sh <benchmark> [options...]
#   scripts/bench.sh trace-decode [--size-mb 256] [--heap-mb 256] [--quick]
# Builds benchmarks/target/skci-benchmarks.jar (and the runner it depends on) with a JDK >= 21, then
# runs the benchmark. Generated inputs are cached under benchmarks/target/bench. Results and the
# command that produced them belong in docs/benchmarks.md.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=lib/jdk.sh
source "$root/scripts/lib/jdk.sh"
skci_find_jdk || exit 3

if [[ $# -eq 0 || "$1" == "-h" || "$1" == "--help" ]]; then
  echo "usage: scripts/bench.sh <benchmark> [options...]"
  echo "benchmarks:"
  echo "  trace-decode [--size-mb N] [--heap-mb M] [--quick]   trace decode throughput vs msgpack-core, and peak heap"
  echo "  cluster-boot [--runs N] [--nodes N] [--settle S]     local cluster up-to-ready time and memory (scripts/bench-cluster.sh)"
  echo "  pools-boot [--nodes N] [--runs R]                    boot with N nodes as 4 node pools vs --nodes N, and a pool change (scripts/bench-pools.sh)"
  echo "  replay-throughput [--objects N] [--rounds R]         replay at speed max vs a plain fabric8 create loop (same run)"
  echo "  replay-lateness [--events N]                         event lateness p50/p99 at speed 1 and 10"
  echo "  webhook-latency [--pods N]                           admission latency: API server histogram and webhook log"
  echo "  gates [--runs N]                                     time through all readiness gates, warm and from a cold boot"
  echo "  observer-overhead [--rounds R] [--speed S]           runner CPU and heap with and without the workload observer, 5,000 pods"
  echo "  scale [--case 5k|20k] [--speeds 1,1.5,2] [--nodes N] the issue-12 scale cases through bin/skci: verdict, fidelity, cleanup, runner CPU/RSS"
  echo "  cleanup [--pods 1000,5000,20000] [--foreground ...]  cleanup time of N pods: bulk deletion against the root's foreground deletion"
  echo "  cluster-throughput [--pods 2000] [--rounds 2] [--levels default,unthrottled,tuned] [--cluster PREFIX]"
  echo "                                                       realised pods/s: kwokctl defaults vs rate limits off vs skci's tuning"
  echo "  karpenter-provisioning [--rounds R] [--pods N]       first pending pod to Karpenter's node Ready, vs static nodes (scripts/build-karpenter.sh)"
  echo "  faults [--rounds N] [--cluster NAME] [--keep]        component death to exit 3, cleanup after a 20 s API stall (scripts/bench-faults.sh)"
  echo "replay benchmarks boot a local cluster 'bench' (binaries from scripts/build-binaries.sh); --cluster NAME --keep reuses one"
  [[ $# -eq 0 ]] && exit 2 || exit 0
fi

benchmark=$1
shift
case "$benchmark" in
  trace-decode|replay-throughput|replay-lateness|webhook-latency|gates|observer-overhead) ;;
  scale|cleanup|cluster-throughput) set -- "$@" --skci "$root/bin/skci" ;;
  karpenter-provisioning) bash "$root/scripts/build-karpenter.sh" >&2 ;;
  cluster-boot) exec "$root/scripts/bench-cluster.sh" "$@" ;;
  pools-boot) exec "$root/scripts/bench-pools.sh" "$@" ;;
  faults) exec "$root/scripts/bench-faults.sh" "$@" ;;
  *) echo "scripts/bench.sh: unknown benchmark '$benchmark' (try --help)" >&2; exit 2 ;;
esac

jar=$root/benchmarks/target/skci-benchmarks.jar
echo "bench: building $jar" >&2
JAVA_HOME=$SKCI_JAVA_HOME mvn -q -B -f "$root/pom.xml" -pl benchmarks -am -DskipTests package >&2

cd "$root/benchmarks"
jvm_opts=()
# Netty (under fabric8's HTTP client, used by the replay benchmarks) warns on JDK 24+ unless allowed.
if (( $(skci_java_major "$SKCI_JAVA_HOME/bin/java") >= 24 )); then
  jvm_opts+=(--sun-misc-unsafe-memory-access=allow)
fi
echo "bench: $SKCI_JAVA_HOME/bin/java -jar $jar $benchmark $*" >&2
exec "$SKCI_JAVA_HOME/bin/java" "${jvm_opts[@]}" -jar "$jar" "$benchmark" --dir "$root/benchmarks/target/bench" "$@"
