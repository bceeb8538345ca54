# shellcheck shell=bash
# skci_quiet_maven ARGS...: runs `mvn -B -q ARGS` for a build a user did not ask to watch (the first
# run of bin/skci, the GitHub Action's build step). Maven's output goes to a log file; on success
# nothing is printed, on failure the log's last 60 lines, without ANSI colour codes, go to stderr.
# Also keeps the JVM's sun.misc.Unsafe warnings out (Maven's Guava calls it; JDK 24+ warns), and
# asks Maven for no colour at all. Returns Maven's exit code.
skci_quiet_maven() {
  local log rc=0 opts=${MAVEN_OPTS:-}
  log=$(mktemp "${TMPDIR:-/tmp}/skci-mvn.XXXXXX")
  local java=${JAVA_HOME:+$JAVA_HOME/bin/}java
  local major
  major=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
  if [[ "${major:-0}" -ge 24 ]]; then
    opts="$opts --sun-misc-unsafe-memory-access=allow"
  fi
  MAVEN_OPTS=$opts mvn -B -q --no-transfer-progress -Dstyle.color=never "$@" >"$log" 2>&1 || rc=$?
  if (( rc != 0 )); then
    echo "skci: mvn $* failed (exit $rc); the end of its log:" >&2
    tail -n 60 "$log" | sed $'s/\x1b\\[[0-9;]*[A-Za-z]//g' >&2
  fi
  rm -f "$log"
  return "$rc"
}
