#!/usr/bin/env python3
"""Static checks of the skci composite action (action.yml) that no CI client makes.

The action itself runs under nektos/act in .github/tests/test_act.py (every scenario the project's
emulator used to run here: pass, exit 2 and 3, hostile inputs, the hosted and preinstalled paths,
reports uploaded after failures). What stays here is static: no input is interpolated into a
`run:` script, every third-party action is pinned by commit SHA with a version comment, every
input is declared and used, and every output comes from the step that writes it.

    python3 .github/tests/test_action.py

Needs Python 3 with PyYAML. Ends with "N passed, M failed".
"""
import re
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((REPO / "action.yml").read_text())
RAW = (REPO / "action.yml").read_text()


def static_checks(_ctx):
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), f"step {step.get('name')} interpolates an expression into its script"
    for line in RAW.splitlines():
        m = re.search(r"uses:\s*(\S+)", line)
        if m:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", m.group(1)), f"not pinned by SHA: {line.strip()}"
            assert re.search(r"#\s*v\d+(\.\d+)*", line), f"no version comment: {line.strip()}"
    # act and GitHub refuse an action whose metadata has an expression where none is evaluated.
    for name, inp in ACTION["inputs"].items():
        for key in ("description", "default"):
            assert "${{" not in str(inp.get(key, "")), f"input {name}: an expression in its {key} makes the action unloadable"
    for name, out in ACTION["outputs"].items():
        assert "${{" not in out.get("description", ""), f"output {name}: an expression in its description"
    used = set(re.findall(r"inputs\.([a-z-]+)", RAW))
    declared = set(ACTION["inputs"])
    assert used == declared, f"inputs declared but unused: {declared - used}; used but undeclared: {used - declared}"
    for name, out in ACTION["outputs"].items():
        assert f"steps.run.outputs.{name}" in out["value"], f"output {name} does not come from the run step"
        assert f"echo \"{name}=" in (REPO / ".github/action/run.sh").read_text(), f"run.sh never writes {name}"
    # A step that stops the action early says why in the same outputs (the exit code a retry looks at).
    for step_id, script in (("build", "build.sh"), ("prep", "prepare.sh")):
        assert f"steps.{step_id}.outputs.exit-code" in ACTION["outputs"]["exit-code"]["value"], step_id
        assert "exit-code=" in (REPO / ".github/action" / script).read_text(), f"{script} never writes exit-code"



def main():
    try:
        static_checks(None)
    except AssertionError as e:
        print(f"FAIL static_checks: {e}")
        print("0 passed, 1 failed")
        return 1
    print("PASS static_checks")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
