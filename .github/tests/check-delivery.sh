#!/usr/bin/env bash
# Lints and tests the delivery artifacts (packer/, ami-scripts/, action.yml, .github/, actions/,
# gitlab/) on a Linux machine with no AWS account, Docker or GitHub/GitLab. The client test stage
# (scripts/stages/ci-clients.sh, run by scripts/test.sh in CI) runs it; every tool it needs except
# helm comes from scripts/stages/install-ci-tools.sh (pinned in tools/ci-clients.env):
#   eval "PATH=$(scripts/stages/install-ci-tools.sh --print-path):\$PATH"
#   helm (--full only; renders cert-manager's chart):    go install helm.sh/helm/v3/cmd/helm@v3.22.0
# A missing tool is an error naming how to install it; nothing is skipped silently.
#
# Usage: .github/tests/check-delivery.sh [--full]
#   default  lints, the action's static checks and the GitLab retry emulator (about 30 s)
#   --full   also the front ends under act and gitlab-ci-local on real local clusters (a few
#            minutes; needs a JDK >= 21, Maven, Go, the control-plane binaries and the runner jar),
#            and ami-scripts/verify.sh against this checkout's bin/skci.
# The image's kind path (kind-cluster.sh, skci-kind.service) needs Docker and runs for real in the kind
# stage of the test command instead: scripts/stages/kind.sh -> ami-scripts/tests/test-kind-cluster.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
full=false
[[ "${1:-}" == --full ]] && full=true

need() {
  command -v "$1" >/dev/null || { echo "check-delivery: $1 is not installed ($2)" >&2; exit 3; }
}
gobin=$(go env GOPATH 2>/dev/null)/bin
PATH=$PATH:$gobin
install_hint="scripts/stages/install-ci-tools.sh --print-path, then put that on PATH"
need shellcheck "$install_hint"
need check-jsonschema "$install_hint"
need actionlint "$install_hint"
need zizmor "$install_hint"
need hclfmt "$install_hint"
python3 -c 'import yaml, hcl2' 2>/dev/null || { echo "check-delivery: PyYAML and python-hcl2 are missing ($install_hint)" >&2; exit 3; }

failures=0 passes=0
step() {
  local name=$1
  shift
  if "$@"; then echo "ok   $name"; passes=$((passes + 1)); else echo "FAIL $name"; failures=$((failures + 1)); fi
}

each() {  # each COMMAND FILE...: COMMAND FILE for every file; fails if any fails
  local cmd=$1 f rc=0
  shift
  for f in "$@"; do $cmd "$f" >/dev/null || { echo "  $cmd: $f" >&2; rc=1; }; done
  return "$rc"
}
syntax() { bash -n "$1"; }
canonical_hcl() { hclfmt -require-no-change "$1"; }

scripts=(ami-scripts/*.sh ami-scripts/tests/*.sh .github/action/*.sh .github/tests/check-delivery.sh gitlab/run.sh
         scripts/*.sh scripts/lib/*.sh scripts/stages/*.sh bin/skci .ci/run)
step "bash -n" each syntax "${scripts[@]}"
step "shellcheck" shellcheck -x -P SCRIPTDIR "${scripts[@]}"
step "hclfmt (packer/*.pkr.hcl parse and are canonically formatted)" each canonical_hcl packer/*.pkr.hcl
step "packer/check_template.py" python3 packer/check_template.py
step "actionlint (workflows, and action.yml through uses: ./)" actionlint
step "zizmor (offline, regular persona: workflows and every action.yml)" \
  zizmor --offline --no-progress .github/workflows/ action.yml actions/
step "action.yml files against the GitHub Actions schema" check-jsonschema -q --builtin-schema vendor.github-actions \
  action.yml actions/*/action.yml .github/tests/stand-ins/*/action.yml .github/tests/stand-ins/cache/*/action.yml
step "workflows against the GitHub workflow schema" check-jsonschema -q --builtin-schema vendor.github-workflows .github/workflows/*.yml
step "YAML files parse" python3 -c 'import sys, yaml; [yaml.safe_load(open(f)) for f in sys.argv[1:]]' \
  action.yml .github/workflows/*.yml .github/actionlint.yaml gitlab/skci.gitlab-ci.yml ami-scripts/kind/*.yaml
step "Python scripts parse" python3 -c 'import ast, sys; [ast.parse(open(f).read(), f) for f in sys.argv[1:]]' .github/tests/*.py gitlab/*.py actions/ec2-runner/*.py \
  actions/ec2-runner/tests/*.py packer/check_template.py
step "action: static checks" python3 .github/tests/test_action.py
step "gitlab: schema, contract and the retry emulator" python3 gitlab/test_template.py

if [[ "$full" == true ]]; then
  need helm "go install helm.sh/helm/v3/cmd/helm@v3.22.0"
  step "action under act" python3 .github/tests/test_act.py
  step "gitlab template under gitlab-ci-local" python3 gitlab/test_gitlab_ci_local.py
  step "ami-scripts/verify.sh with this checkout's skci" \
    env SKCI="$root/bin/skci" SKCI_VERIFY_TRACE="$root/traces/cronjob.sktrace" bash ami-scripts/verify.sh
fi

if (( failures == 0 )); then echo "check-delivery: all checks passed"; else echo "check-delivery: $failures check(s) failed"; fi
echo "$passes passed, $failures failed"
(( failures == 0 ))
