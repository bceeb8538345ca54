# shellcheck shell=bash
# Sourced by bin/skci, scripts/*.sh and .ci/run. Sets SKCI_JAVA_HOME to a JDK >= 21:
# $JAVA_HOME first, then the newest JDK under /usr/lib/jvm (and the usual macOS/SDKMAN places).
# Prints what to install and returns 3 when there is none.

skci_java_major() {  # <java binary> -> major version on stdout
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

# skci_find_jdk [--runtime]: with --runtime a Java runtime (no javac) is enough, which is all bin/skci needs.
skci_find_jdk() {
  local need=21 candidates=() c best="" best_v=0 v tool=javac
  [[ "${1:-}" == "--runtime" ]] && tool=java
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  for c in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/*; do
    [[ -d "$c" ]] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    [[ -x "$c/bin/java" && -x "$c/bin/$tool" ]] || continue
    v=$(skci_java_major "$c/bin/java")
    [[ "$v" =~ ^[0-9]+$ ]] || continue
    # JAVA_HOME wins when it is new enough; otherwise take the newest one found.
    if [[ "$c" == "${JAVA_HOME:-}" && $v -ge $need ]]; then best=$c; best_v=$v; break; fi
    if (( v >= need && v > best_v )); then best=$c; best_v=$v; fi
  done
  if [[ -z "$best" ]]; then
    echo "skci: no Java ${need} or newer found (looked at \$JAVA_HOME and /usr/lib/jvm). Install one, e.g. 'apt-get install openjdk-21-jdk-headless', or set JAVA_HOME." >&2
    return 3
  fi
  SKCI_JAVA_HOME=$best
  export SKCI_JAVA_HOME
}
