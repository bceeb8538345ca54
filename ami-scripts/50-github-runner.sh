#!/usr/bin/env bash
# Installs the GitHub Actions runner agent and the ephemeral-runner boot service
# (runner-boot.sh, skci-github-runner.service). The agent's release archive is downloaded at image
# build time and checked against a pinned sha256 before anything in it is used.
#
# Inputs (packer/variables.pkr.hcl): GITHUB_RUNNER_VERSION, GITHUB_RUNNER_SHA256
#   GITHUB_RUNNER_URL  optional: where to get the archive (default: the release on github.com)
#   SKCI_RUNNER_DIR    optional: install directory (default /opt/actions-runner)
#   SKCI_RUNNER_USER   optional: the user the agent runs as (default ubuntu)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_vars GITHUB_RUNNER_VERSION GITHUB_RUNNER_SHA256
[[ "$GITHUB_RUNNER_SHA256" =~ ^[0-9a-f]{64}$ ]] || die "GITHUB_RUNNER_SHA256 is not a sha256"

runner_dir=${SKCI_RUNNER_DIR:-/opt/actions-runner}
runner_user=${SKCI_RUNNER_USER:-ubuntu}
url=${GITHUB_RUNNER_URL:-https://github.com/actions/runner/releases/download/v$GITHUB_RUNNER_VERSION/actions-runner-linux-x64-$GITHUB_RUNNER_VERSION.tar.gz}

archive=$(mktemp)
trap 'rm -f "$archive"' EXIT
log "downloading the runner agent $GITHUB_RUNNER_VERSION"
curl -sS -f -L --retry 3 -o "$archive" "$url" || die "downloading $url failed"
echo "$GITHUB_RUNNER_SHA256  $archive" | sha256sum -c --quiet - || die "the runner archive's sha256 is not $GITHUB_RUNNER_SHA256"
mkdir -p "$runner_dir"
tar -C "$runner_dir" -xzf "$archive"
[[ -x "$runner_dir/run.sh" ]] || die "the runner archive has no run.sh"
if [[ $(id -u) -eq 0 ]]; then
  [[ -x "$runner_dir/bin/installdependencies.sh" ]] && "$runner_dir/bin/installdependencies.sh" >/dev/null
  chown -R "$runner_user" "$runner_dir"
fi
versions_manifest github-runner "$GITHUB_RUNNER_VERSION sha256:$GITHUB_RUNNER_SHA256"

install -d "$SKCI_ETC_DIR/systemd/system"
install -m 0644 "$SKCI_SRC/ami-scripts/github-runner/skci-github-runner.service" "$SKCI_ETC_DIR/systemd/system/"
if [[ $(id -u) -eq 0 && "$SKCI_ETC_DIR" == /etc ]] && command -v systemctl >/dev/null; then
  # Enabled: on an instance without runner user data it logs one line and exits.
  systemctl enable skci-github-runner.service
fi
log "runner agent in $runner_dir; boot service skci-github-runner.service installed"
