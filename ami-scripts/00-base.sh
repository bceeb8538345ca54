#!/usr/bin/env bash
# AMI step 00: operating-system packages and the skci group.
#
# Installs the JDK 21 that runs skci (Ubuntu's openjdk-21 package; a full JDK, not a JRE, because
# bin/skci only accepts a Java home that also has javac), Maven to build the runner jar, and the
# small tools the other steps use. Creates the group whose members may create local clusters under
# $SKCI_CACHE_DIR/clusters and adds the CI users to it.
#
# Inputs (environment): JAVA_PACKAGE (e.g. openjdk-21-jdk-headless), JAVA_PACKAGE_VERSION (an exact
# Ubuntu package version, or empty for the archive's current build of that package),
# SKCI_USERS (space-separated users to add to the skci group; missing users are skipped).
# Idempotent: apt-get install of installed packages and groupadd/usermod of existing entries are no-ops.
# shellcheck disable=SC2154 # upper-case inputs come from the environment; require_vars checks them
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
require_root
require_vars JAVA_PACKAGE

export DEBIAN_FRONTEND=noninteractive
# Cloud-init may still be running apt on first boot; two apt runs at once fail on the dpkg lock.
if command -v cloud-init >/dev/null; then
  cloud-init status --wait >/dev/null || true
fi

java_spec=$JAVA_PACKAGE
[[ -n "${JAVA_PACKAGE_VERSION:-}" ]] && java_spec="$JAVA_PACKAGE=$JAVA_PACKAGE_VERSION"

log "installing base packages and $java_spec"
apt-get update -q
# util-linux: flock and setsid (build-binaries.sh, the local provider); procps: ps for verify.sh.
apt-get install -y -q --no-install-recommends \
  ca-certificates curl git jq unzip util-linux procps "$java_spec" maven

java_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
java_major=$("$java_home/bin/java" -XshowSettings:properties -version 2>&1 \
  | awk -F'= ' '/java.specification.version/ {print $2; exit}')
[[ "$java_major" == 21 ]] || die "$java_spec installed Java $java_major, expected 21"
versions_manifest java "$(dpkg-query -W -f='${Version}' "$JAVA_PACKAGE") ($java_home)"
versions_manifest maven "$(dpkg-query -W -f='${Version}' maven)"

getent group "$SKCI_GROUP" >/dev/null || groupadd --system "$SKCI_GROUP"
for user in ${SKCI_USERS:-}; do
  if id "$user" >/dev/null 2>&1; then
    usermod -aG "$SKCI_GROUP" "$user"
    log "added $user to group $SKCI_GROUP"
  else
    log "user $user does not exist (yet); add it later with: usermod -aG $SKCI_GROUP $user"
  fi
done
log "base packages ready (Java $java_major at $java_home)"
