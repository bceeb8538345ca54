#!/usr/bin/env python3
"""Static checks of the Packer template that need no Packer and no AWS account.

`packer validate` needs the amazon plugin; where it is not available, this checks what it can:
  * both .pkr.hcl files parse as HCL2 (python-hcl2),
  * every var.X used in skci.pkr.hcl is declared in variables.pkr.hcl, and every declared one is used,
  * every default checksum has the right shape (sha256 hex, Go h1: hash, image digest),
  * every environment variable passed to the ami-scripts is read by one of them, and every variable a
    script requires (require_vars) is passed,
  * every script the template runs exists,
  * the kind path's kind, helm, KWOK and cert-manager defaults equal tools/versions.env (the image
    builds what tools/versions.env pins; the rendered-manifest checksums are only valid for those
    versions, and they are the versions skci's tests run).

    python3 packer/check_template.py        (needs: pip install python-hcl2)
Prints one line per problem and "N passed, M failed"; exits 1 on any problem.
"""
import re
import sys
from pathlib import Path

import hcl2

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TEMPLATE = (HERE / "skci.pkr.hcl").read_text()
VARIABLES = (HERE / "variables.pkr.hcl").read_text()
SCRIPTS = {p.name: p.read_text() for p in (REPO / "ami-scripts").glob("*.sh")}


def unquote(v):
    return v[1:-1] if isinstance(v, str) and len(v) >= 2 and v[0] == v[-1] == '"' else v


def defaults():
    out = {}
    for block in hcl2.loads(VARIABLES)["variable"]:
        for name, body in block.items():
            out[unquote(name)] = unquote(body.get("default"))
    return out


def check_parses():
    hcl2.loads(TEMPLATE)
    hcl2.loads(VARIABLES)


def check_variables_declared_and_used():
    declared = set(defaults())
    used = set(re.findall(r"\bvar\.([a-z_][a-z0-9_]*)", TEMPLATE))
    assert used <= declared, f"used but not declared: {sorted(used - declared)}"
    assert declared <= used, f"declared but never used: {sorted(declared - used)}"


def check_pin_shapes():
    d = defaults()
    for name in ("go_toolchain_sha256", "kwok_manifest_sha256", "cert_manager_manifest_sha256", "github_runner_sha256"):
        assert re.fullmatch(r"[0-9a-f]{64}", d[name]), f"{name} is not a sha256: {d[name]!r}"
    for name in ("kind_module_sum", "helm_module_sum", "kwok_module_sum", "cert_manager_module_sum"):
        assert re.fullmatch(r"h1:[A-Za-z0-9+/]{43}=", d[name]), f"{name} is not a Go h1: hash: {d[name]!r}"
    for name in ("kind_version", "helm_version", "kwok_version", "cert_manager_version"):
        assert re.fullmatch(r"v\d+\.\d+\.\d+", d[name]), f"{name} is not an exact version: {d[name]!r}"
    assert re.fullmatch(r"\d+\.\d+\.\d+", d["go_version"]), d["go_version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", d["github_runner_version"]), d["github_runner_version"]


def check_script_environment():
    env_block = TEMPLATE[TEMPLATE.index("build_env = ["):TEMPLATE.index("]\n}", TEMPLATE.index("build_env = ["))]
    passed = set(re.findall(r'"([A-Z][A-Z0-9_]*)=', env_block))
    all_scripts = "\n".join(SCRIPTS.values())
    unread = sorted(v for v in passed if not re.search(r"\$\{?" + v + r"\b", all_scripts))
    assert not unread, f"passed to the scripts but read by none: {unread}"
    required = set()
    for text in SCRIPTS.values():
        for line in re.findall(r"^require_vars (.+)$", text, re.M):
            required.update(line.split())
    assert required <= passed, f"required by a script but not passed: {sorted(required - passed)}"


def check_scripts_exist():
    for name in re.findall(r"ami-scripts/([\w.-]+\.sh)", TEMPLATE):
        assert name in SCRIPTS, f"the template runs ami-scripts/{name}, which does not exist"


def check_kind_versions_match_local():
    pins = dict(re.findall(r"^([A-Z_]+)=(\S+)$", (REPO / "tools/versions.env").read_text(), re.M))
    d = defaults()
    assert d["kwok_version"] == pins["KWOK_VERSION"], (
        f"kwok_version {d['kwok_version']} != tools/versions.env {pins['KWOK_VERSION']}: bump both (and the manifest sha256)")
    assert d["cert_manager_version"] == pins["CERT_MANAGER_VERSION"], (
        f"cert_manager_version {d['cert_manager_version']} != tools/versions.env {pins['CERT_MANAGER_VERSION']}")
    assert d["kind_version"] == pins["KIND_VERSION"], (
        f"kind_version {d['kind_version']} != tools/versions.env {pins['KIND_VERSION']}")
    assert d["helm_version"] == pins["HELM_VERSION"], (
        f"helm_version {d['helm_version']} != tools/versions.env {pins['HELM_VERSION']}")


CHECKS = [check_parses, check_variables_declared_and_used, check_pin_shapes, check_script_environment,
          check_scripts_exist, check_kind_versions_match_local]

if __name__ == "__main__":
    passed = failed = 0
    for check in CHECKS:
        try:
            check()
            passed += 1
        except (AssertionError, KeyError, ValueError) as e:
            failed += 1
            print(f"FAIL {check.__name__}: {e}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
