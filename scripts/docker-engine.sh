#!/usr/bin/env bash
# A Docker engine for skci's kind tests and CI, and nothing left behind that was not there before.
#
#   up      When an engine already answers, use it as it is (never reconfigured). Otherwise (root
#           only): install Debian/Ubuntu's docker.io when dockerd is missing, start dockerd, and check
#           that a privileged container starts (kind's nodes are privileged). When that probe fails
#           with "unable to apply caps" (a capability bounding set without CAP_SYS_RESOURCE, as on
#           the test VMs), restart dockerd with scripts/lib/runc-drop-caps as its default runtime.
#           What it started is recorded in the state directory, so `down` stops only that.
#   down    Stop the dockerd (and the containerd it runs) that `up` started, once no other holder
#           (below) is alive; an engine that was already running is left running. Packages it
#           installed stay installed (say so; remove them with apt-get if wanted).
#   status  Print whether an engine answers, who started it, and whether the wrapper is in use;
#           exit 0 when one answers, 3 when none does.
#
# Options: --holder PID  (up/down) a process that uses the engine (scripts/stages/kind.sh passes its
#          own pid). `down` stops an engine this script started only when no registered holder is
#          alive, so two test runs sharing one machine do not pull the engine from under each other.
#          Without --holder, up registers "manual" and only a down without --holder releases it.
#          --force  (down) stop it even while holders are alive.
# State: ${SKCI_DOCKER_STATE_DIR:-${SKCI_CACHE_DIR:-~/.cache/skci}/docker-engine}/ (state, dockerd.log,
# holders/, the wrapper copy). Exit codes: 0 ok, 2 usage, 3 environment (no engine, not root, probe
# failed), as skci's.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${SKCI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/skci}
state_dir=${SKCI_DOCKER_STATE_DIR:-$cache/docker-engine}
state=$state_dir/state
probe_image=skci.local/privileged-probe:1

say() { printf 'skci-docker: %s\n' "$*" >&2; }
fail() { say "$1"; exit "${2:-3}"; }
usage() { fail "usage: scripts/docker-engine.sh up|down|status [--holder PID] [--force]" 2; }

[[ $# -ge 1 ]] || usage
action=$1
shift
holder='' force=no
while (( $# )); do
  case "$1" in
    --holder) [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || usage; holder=$2; shift 2 ;;
    --force) force=yes; shift ;;
    *) usage ;;
  esac
done

answers() { docker info >/dev/null 2>&1; }
read_state() {  # read_state KEY : the value recorded for KEY, empty when none
  [[ -f "$state" ]] && sed -n "s/^$1=//p" "$state" | tail -1
}
alive_dockerd() {  # alive_dockerd PID : PID is a running dockerd
  [[ -n "$1" && -r "/proc/$1/cmdline" ]] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -q '^[^ ]*dockerd '
}

# A one-layer image of /bin/true and the libraries it links, so the probe needs no registry.
ensure_probe_image() {
  docker image inspect "$probe_image" >/dev/null 2>&1 && return
  local d f
  d=$(mktemp -d)
  for f in /bin/true $(ldd /bin/true | grep -o '/[^ ]*'); do
    mkdir -p "$d$(dirname "$f")"
    cp -L "$f" "$d$f"
  done
  tar -C "$d" -cf - . | docker import --change 'LABEL dev.skci.probe=1' - "$probe_image" >/dev/null
  rm -rf "$d"
}
# probe : start a privileged container; prints docker's error and fails when it cannot.
probe() {
  ensure_probe_image
  { docker run --rm --privileged --network none "$probe_image" /bin/true >/dev/null; } 2>&1
}

start_dockerd() {  # start_dockerd [extra dockerd args...]
  mkdir -p "$state_dir"
  say "starting dockerd $* (log: $state_dir/dockerd.log)"
  # setsid: a Ctrl-C meant for the test run must not reach the engine its cleanup still needs.
  setsid dockerd "$@" >> "$state_dir/dockerd.log" 2>&1 < /dev/null &
  local pid=$! deadline=$((SECONDS + 60))
  until answers; do
    kill -0 "$pid" 2>/dev/null || fail "dockerd exited during start-up; last lines of $state_dir/dockerd.log: $(tail -3 "$state_dir/dockerd.log" | tr '\n' ' ')"
    (( SECONDS < deadline )) || { kill "$pid" 2>/dev/null; fail "dockerd did not answer within 60 s; see $state_dir/dockerd.log"; }
    sleep 0.5
  done
  dockerd_pid=$pid
}

stop_dockerd() {  # stop_dockerd PID
  local pid=$1 deadline
  alive_dockerd "$pid" || return 0
  kill -TERM "$pid"
  # dockerd stops its containers first (up to its shutdown timeout, 15 s by default).
  deadline=$((SECONDS + 60))
  while alive_dockerd "$pid"; do
    if (( SECONDS >= deadline )); then say "dockerd $pid did not stop in 60 s; killing it"; kill -KILL "$pid" 2>/dev/null || true; break; fi
    sleep 0.5
  done
}

write_state() {
  mkdir -p "$state_dir"
  printf 'started_pid=%s\nwrapper=%s\ninstalled=%s\nservice=%s\n' \
    "${dockerd_pid:-}" "${wrapper:-no}" "${installed:-no}" "${service:-no}" > "$state.tmp"
  mv -f "$state.tmp" "$state"
}

# Without --holder, up registers the holder "manual": the engine then stays until a down without
# --holder (or --force), whoever else used it in between.
add_holder() {
  mkdir -p "$state_dir/holders"
  echo "${holder:-manual}" > "$state_dir/holders/${holder:-manual}"
}
live_holders() {  # prints the registered holders that are still alive, removing dead ones
  local f p
  for f in "$state_dir"/holders/*; do
    [[ -f "$f" ]] || continue
    p=$(cat "$f")
    [[ "$p" == manual ]] && { echo manual; continue; }
    # A zombie (state Z) has exited; it only waits for its parent to reap it.
    if [[ -r "/proc/$p/stat" ]] && ! awk '{exit $3 != "Z"}' "/proc/$p/stat"; then echo "$p"; else rm -f "$f"; fi
  done
}

up() {
  command -v docker >/dev/null || docker_cli_missing=1
  if [[ -z "${docker_cli_missing:-}" ]] && answers; then
    add_holder
    if [[ -n "$(read_state started_pid)" ]] && alive_dockerd "$(read_state started_pid)"; then
      say "Docker engine answers (started by scripts/docker-engine.sh; wrapper: $(read_state wrapper))"
      return
    fi
    say "Docker engine already running; using it as it is"
    local err
    if ! err=$(probe); then
      fail "the running Docker engine cannot start a privileged container, which kind needs: $err
  This script does not reconfigure an engine it did not start. If the error is 'unable to apply caps',
  restart dockerd with: --add-runtime skci-runc=$here/lib/runc-drop-caps --default-runtime skci-runc"
    fi
    return
  fi

  [[ $(id -u) -eq 0 ]] || fail "no Docker engine answers, and starting one needs root (run as root, or start Docker yourself)"
  installed=no service=no
  if ! command -v dockerd >/dev/null; then
    command -v apt-get >/dev/null || fail "dockerd is not installed and there is no apt-get; install Docker and retry"
    say "installing docker.io (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker.io >&2 \
      || fail "apt-get install docker.io failed; see above"
    installed=yes
    # On a machine run by systemd the package starts docker.service itself.
    if answers; then
      service=yes
      say "the docker.io package started docker.service; 'down' will stop it again"
    fi
  fi
  command -v docker >/dev/null || fail "dockerd is installed but the docker client is not; install docker.io (or docker-ce-cli)"
  wrapper=no dockerd_pid=
  if [[ "$service" == no ]]; then start_dockerd; fi
  write_state
  add_holder

  local err
  if ! err=$(probe); then
    if [[ "$err" == *"unable to apply caps"* && "$service" == no ]]; then
      command -v python3 >/dev/null || fail "privileged containers fail here ($err) and the wrapper that fixes it needs python3; install python3"
      say "privileged containers fail here (a capability bounding set without $(missing_caps)); restarting dockerd with the runc wrapper"
      stop_dockerd "$dockerd_pid"
      install -m 0755 "$here/lib/runc-drop-caps" "$state_dir/runc-drop-caps"
      start_dockerd --add-runtime "skci-runc=$state_dir/runc-drop-caps" --default-runtime skci-runc
      wrapper=yes
      write_state
      err=$(probe) || fail "a privileged container still fails with the wrapper: $err"
    else
      fail "the Docker engine cannot start a privileged container, which kind needs: $err"
    fi
  fi
  say "Docker engine ready (dockerd pid ${dockerd_pid:-from docker.service}, wrapper: $wrapper)"
}

missing_caps() {
  local bnd
  bnd=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
  (( ((16#$bnd) >> 24 & 1) == 0 )) && printf 'CAP_SYS_RESOURCE' || printf 'some capability'
}

down() {
  rm -f "$state_dir/holders/${holder:-manual}"
  if [[ ! -f "$state" ]]; then say "no engine started by this script (nothing to do)"; return; fi
  local others pid
  others=$(live_holders | tr '\n' ' ')
  if [[ -n "$others" && "$force" == no ]]; then say "engine still used by $others; leaving it running"; return; fi
  pid=$(read_state started_pid)
  if [[ -n "$pid" ]] && alive_dockerd "$pid"; then
    say "stopping dockerd $pid (started by scripts/docker-engine.sh up)"
    stop_dockerd "$pid"
    alive_dockerd "$pid" && fail "dockerd $pid is still running"
  elif [[ "$(read_state service)" == yes ]]; then
    say "stopping docker.service (started when up installed docker.io)"
    systemctl stop docker.service docker.socket || fail "systemctl stop docker.service failed"
  else
    say "the engine up started is no longer running (nothing to stop)"
  fi
  [[ "$(read_state installed)" == yes ]] && say "docker.io stays installed (apt-get purge docker.io removes it)"
  rm -f "$state"
  rm -rf "$state_dir/holders"
}

status() {
  if command -v docker >/dev/null && answers; then
    local pid
    pid=$(read_state started_pid)
    if [[ -n "$pid" ]] && alive_dockerd "$pid"; then
      echo "engine: answering (dockerd $pid started by scripts/docker-engine.sh, wrapper: $(read_state wrapper))"
    else
      echo "engine: answering (not started by scripts/docker-engine.sh)"
    fi
    return 0
  fi
  echo "engine: not answering"
  return 3
}

case "$action" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) usage ;;
esac
