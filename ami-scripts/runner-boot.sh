#!/usr/bin/env bash
# Boot script of an ephemeral GitHub Actions runner on the skci image (skci-github-runner.service,
# installed by 50-github-runner.sh). At every boot:
#   1. reads the instance's user data through IMDSv2 (a session token first; the image's launcher,
#      actions/ec2-runner, also requires tokens: HttpTokens=required);
#   2. no user data, or none naming SKCI_RUNNER_JITCONFIG: not a runner instance; exits 0;
#   3. schedules the watchdog: shutdown after SKCI_RUNNER_MAX_LIFETIME minutes (default 120), and
#      the launcher set InstanceInitiatedShutdownBehavior=terminate, so shutting down terminates;
#   4. runs the runner agent once as the runner user with the just-in-time configuration in its
#      environment (ACTIONS_RUNNER_INPUT_JITCONFIG), never in its arguments or in a log; the agent
#      takes one job and exits;
#   5. shuts the instance down (= terminates it).
# User data is name=value lines, parsed here, never sourced or evaluated.
#
# Paths and commands can be moved for tests (actions/ec2-runner/tests/test_ec2_runner.py):
#   SKCI_IMDS_URL (http://169.254.169.254), SKCI_RUNNER_DIR (/opt/actions-runner),
#   SKCI_RUNNER_USER (ubuntu; empty: the current user), SKCI_SHUTDOWN (shutdown)
set -euo pipefail
umask 077

imds=${SKCI_IMDS_URL:-http://169.254.169.254}
runner_dir=${SKCI_RUNNER_DIR:-/opt/actions-runner}
runner_user=${SKCI_RUNNER_USER-ubuntu}
shutdown_cmd=${SKCI_SHUTDOWN:-shutdown}

say() { echo "skci-github-runner: $*"; }

token=$(curl -sS -f --retry 5 --retry-connrefused -X PUT "$imds/latest/api/token" \
  -H "X-aws-ec2-metadata-token-ttl-seconds: 300") || { say "no IMDSv2 token from $imds; not starting a runner"; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=$(curl -sS -o "$scratch/user-data" -w '%{http_code}' -H "X-aws-ec2-metadata-token: $token" \
  "$imds/latest/user-data") || { say "reading the user data failed"; exit 1; }
if [[ "$status" == 404 ]]; then
  say "no user data: not an ephemeral runner instance"
  exit 0
fi
[[ "$status" == 200 ]] || { say "reading the user data failed: HTTP $status"; exit 1; }

jit="" lifetime=120
while IFS= read -r line || [[ -n "$line" ]]; do
  line=${line%$'\r'}
  case "$line" in
    SKCI_RUNNER_JITCONFIG=*) jit=${line#*=} ;;
    SKCI_RUNNER_MAX_LIFETIME=*) lifetime=${line#*=} ;;
  esac
done < "$scratch/user-data"
rm -f "$scratch/user-data"
if [[ -z "$jit" ]]; then
  say "the user data holds no SKCI_RUNNER_JITCONFIG: not an ephemeral runner instance"
  exit 0
fi
[[ "$lifetime" =~ ^[1-9][0-9]{0,5}$ ]] || { say "SKCI_RUNNER_MAX_LIFETIME '$lifetime' is not a number of minutes; using 120"; lifetime=120; }

say "watchdog: this instance shuts down (and terminates) in $lifetime minutes at the latest"
"$shutdown_cmd" -h "+$lifetime" "skci runner: maximum lifetime reached"

say "starting the runner agent for one job"
export ACTIONS_RUNNER_INPUT_JITCONFIG=$jit
unset jit
code=0
if [[ -n "$runner_user" ]]; then
  # runuser keeps the environment (no login shell): the agent finds its configuration there.
  runuser -u "$runner_user" -- "$runner_dir/run.sh" || code=$?
else
  "$runner_dir/run.sh" || code=$?
fi
unset ACTIONS_RUNNER_INPUT_JITCONFIG
say "the runner agent exited ($code); shutting down"
"$shutdown_cmd" -h now "skci runner: job finished"
