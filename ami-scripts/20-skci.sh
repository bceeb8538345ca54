#!/usr/bin/env bash
# AMI step 20: build the skci runner from the uploaded repository and install it in $SKCI_PREFIX.
#
# $SKCI_SRC is the repository as Packer uploaded it (a `git archive` of one commit). The runner jar is
# built there with Maven (tests are compiled, not run: the image's own smoke test is verify.sh), then
# the repository is copied to $SKCI_PREFIX with the jar at runner/target/skci.jar, which is where
# bin/skci looks for it. $SKCI_BIN_LINK_DIR/skci links to bin/skci, and SKCI_CACHE_DIR is set for
# every login (profile.d) and every PAM session (/etc/environment), so skci and
# scripts/build-binaries.sh find the binaries pre-built into $SKCI_CACHE_DIR by step 30.
#
# Cluster state lives in $SKCI_CACHE_DIR/clusters, which is group-writable for the skci group
# (setgid, so lock files and cluster directories stay in the group); the binaries are root-owned and
# read-only for everyone else.
#
# Inputs (environment): SKCI_SRC, SKCI_SOURCE_COMMIT (optional, recorded in the versions manifest),
# SKCI_MAVEN_REPO (optional Maven repository to use instead of a temporary one).
# Idempotent: rebuilding and copying again gives the same tree; links and environment lines are
# replaced, not appended.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
require_vars SKCI_SRC
[[ -f "$SKCI_SRC/pom.xml" && -x "$SKCI_SRC/bin/skci" ]] || die "$SKCI_SRC is not an skci checkout (no pom.xml or bin/skci)"

# shellcheck source=../scripts/lib/jdk.sh
source "$SKCI_SRC/scripts/lib/jdk.sh"
skci_find_jdk || die "no JDK >= 21 found; step 00 installs one"

# A throw-away Maven repository unless one is given (SKCI_MAVEN_REPO, e.g. to reuse ~/.m2 in a test).
if [[ -n "${SKCI_MAVEN_REPO:-}" ]]; then
  m2=$SKCI_MAVEN_REPO
else
  m2=$(mktemp -d)
  trap 'rm -rf "$m2"' EXIT
fi
log "building the runner jar with Maven (JDK $SKCI_JAVA_HOME)"
JAVA_HOME=$SKCI_JAVA_HOME mvn -B -q --no-transfer-progress -f "$SKCI_SRC/pom.xml" -Dmaven.repo.local="$m2" \
  -pl runner -am -DskipTests package
[[ -f "$SKCI_SRC/runner/target/skci.jar" ]] || die "the Maven build did not produce runner/target/skci.jar"

log "installing into $SKCI_PREFIX"
mkdir -p "$SKCI_PREFIX"
# The cache and share directories inside the prefix are kept; build output is not copied.
tar -C "$SKCI_SRC" --exclude=./runner/target --exclude=./benchmarks/target --exclude=./.git -cf - . \
  | tar -C "$SKCI_PREFIX" --no-same-owner -xf -
install -D -m 0644 "$SKCI_SRC/runner/target/skci.jar" "$SKCI_PREFIX/runner/target/skci.jar"
find "$SKCI_PREFIX" -path "$SKCI_CACHE_DIR" -prune -o -exec chmod a+rX,go-w {} +

mkdir -p "$SKCI_BIN_LINK_DIR"
ln -sfn "$SKCI_PREFIX/bin/skci" "$SKCI_BIN_LINK_DIR/skci"

# Binaries: root-owned, read-only. Cluster state: writable by the skci group.
install -d -m 0755 "$SKCI_CACHE_DIR" "$SKCI_CACHE_DIR/bin"
install -d -m 2775 -g "$SKCI_GROUP" "$SKCI_CACHE_DIR/clusters" "$SKCI_CACHE_DIR/clusters/.locks"

install -d -m 0755 "$SKCI_ETC_DIR/profile.d"
cat > "$SKCI_ETC_DIR/profile.d/skci.sh" <<EOF
# skci (installed from the skci AMI): pre-built control-plane binaries and local cluster state.
export SKCI_CACHE_DIR=$SKCI_CACHE_DIR
EOF
chmod 0644 "$SKCI_ETC_DIR/profile.d/skci.sh"
envfile=$SKCI_ETC_DIR/environment
touch "$envfile"
tmp=$(mktemp)
grep -v '^SKCI_CACHE_DIR=' "$envfile" > "$tmp" || true
echo "SKCI_CACHE_DIR=$SKCI_CACHE_DIR" >> "$tmp"
install -m 0644 "$tmp" "$envfile"
rm -f "$tmp"

version=$("$SKCI_BIN_LINK_DIR/skci" --version | head -1)
log "installed: $version"
versions_manifest skci "$version${SKCI_SOURCE_COMMIT:+ (commit $SKCI_SOURCE_COMMIT)}"
